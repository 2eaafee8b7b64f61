// Jest runs only the runner scenario files (CommonJS: no transform needed).
module.exports = { testMatch: ['**/runners/jest/*.test.cjs'], transform: {} };
