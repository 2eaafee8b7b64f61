// One result type for everything that can fail: a value, or an Error saying why (and,
// where known, the file, line and column). It has the shape of C++23's
// std::expected<T, E> (has_value, operator*, ->, value, error; failures made with
// `unexpected(…)`), so when the project builds as C++23 `Result<T, E>` can become an
// alias of it without touching a caller. E is Error unless a caller needs a typed
// failure (os/input_file's InputError, rules/pattern's PatternError). Where errors are
// printed: app/print_error.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace leakaudit {

struct Error {
    std::string message;
    std::string file{};  // empty when the error is not about a place in a file
    int line = 0;        // 1-based; 0 when unknown
    int col = 0;         // 1-based; 0 when unknown
};

// "file:line:col: message", leaving out the parts that are not known ("line:col:
// message" for a place in a text that has no file name, such as a snapshot on stdin).
inline std::string describe(const Error& error) {
    if (error.file.empty() && error.line == 0) return error.message;
    std::string place = error.file;
    if (error.line > 0) place += (place.empty() ? "" : ":") + std::to_string(error.line);
    if (error.line > 0 && error.col > 0) place += ":" + std::to_string(error.col);
    return place + ": " + error.message;
}

// The failure side of a Result, as std::unexpected is for std::expected.
template <class E = Error>
class Unexpected {
public:
    explicit Unexpected(E error) : m_error(std::move(error)) {}
    E& error() { return m_error; }

private:
    E m_error;
};

inline Unexpected<Error> unexpected(std::string message) {
    Error error;
    error.message = std::move(message);
    return Unexpected<Error>(std::move(error));
}
inline Unexpected<Error> unexpected(Error error) {
    return Unexpected<Error>(std::move(error));
}
// A failure of another error type, for a Result<T, E> whose caller needs more than a
// message (a kind that gates what it does next, an offset into the input).
template <class E>
requires(!std::is_convertible_v<E, std::string> && !std::is_same_v<E, Error>) Unexpected<E> unexpected(E error) {
    return Unexpected<E>(std::move(error));
}

template <class T, class E = Error>
class [[nodiscard]] Result {
public:
    template <class U = T,
              std::enable_if_t<std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, Result> &&
                                   !std::is_same_v<std::remove_cvref_t<U>, Unexpected<E>>,
                               int> = 0>
    Result(U&& value) : m_state(std::in_place_index<0>, std::forward<U>(value)) {}
    Result(Unexpected<E> failure) : m_state(std::in_place_index<1>, std::move(failure.error())) {}

    bool has_value() const { return m_state.index() == 0; }
    explicit operator bool() const { return has_value(); }
    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const E& error() const { return std::get<1>(m_state); }

private:
    std::variant<T, E> m_state;
};

template <class E>
class [[nodiscard]] Result<void, E> {
public:
    Result() = default;
    Result(Unexpected<E> failure) : m_error(std::move(failure.error())) {}

    bool has_value() const { return !m_error; }
    explicit operator bool() const { return has_value(); }
    const E& error() const { return *m_error; }

private:
    std::optional<E> m_error;
};

}  // namespace leakaudit
