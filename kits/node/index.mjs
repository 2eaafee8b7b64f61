// ESM entry of the kit's API; the state lives in the CommonJS side (one per process).
import api from './index.cjs';

export const started = api.started;
export const stopped = api.stopped;
export const cycles = api.cycles;
export default api;
