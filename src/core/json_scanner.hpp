// A strict JSON scanner for the fast snapshot reader (core/snapshot_json_fast.cpp): it
// takes what nlohmann's lexer takes (the same whitespace, escapes, UTF-8 checks and
// literals) and throws GiveUp on anything else, and also on what it chooses not to read
// (numbers other than 64-bit integers, a byte-order mark, deep nesting, more values or
// bytes than the limits). The caller then runs the exact reader, which gives the message.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/snapshot_json.hpp"

namespace leakaudit {

struct GiveUp {};

struct JsonInteger {
    bool negative = false;
    std::uint64_t magnitude = 0;
};

class JsonScanner {
public:
    // Chunks of `read`, at most `limit` bytes (one more byte read means "over": GiveUp).
    JsonScanner(const SnapshotChunkReader& read, std::size_t limit)
        : m_read(&read), m_limit(limit), m_buffer(k_chunk) {}
    explicit JsonScanner(std::string_view text) : m_p(text.data()), m_end(text.data() + text.size()), m_eof(true) {}

    // The next byte that is not whitespace, not taken; GiveUp at the end.
    char next() {
        skip_whitespace();
        if (m_p == m_end) throw GiveUp{};
        return *m_p;
    }
    // Only whitespace is left.
    bool at_end() {
        skip_whitespace();
        return m_p == m_end;
    }
    void expect(char c) {
        if (next() != c) throw GiveUp{};
        ++m_p;
    }

    // Up to `count` more values from here (one list element, as the exact reader bounds
    // it); SIZE_MAX: back outside the lists' elements, where all values together are
    // bounded alike.
    void bound_values(std::size_t count) {
        m_element_end = count == SIZE_MAX ? SIZE_MAX : m_values + count;
    }
    // Values: each counts toward k_max_snapshot_values, as the exact reader counts them.
    void string(std::string& out) {
        count();
        key(out);
    }
    // An object's key (not a value).
    void key(std::string& out) {
        expect('"');
        string_body(out);
    }
    JsonInteger integer();
    bool boolean();
    void null();
    void skip_value();

    // { key: value, ... }: `member(key)` reads the value; the key's bytes are valid
    // until the value is read.
    template <class Member>
    void object(Member&& member) {
        open('{');
        if (next() == '}') return close();
        do {
            key(m_key);
            expect(':');
            member(std::string_view(m_key));
        } while (more('}'));
    }
    template <class Element>
    void array(Element&& element) {
        open('[');
        if (next() == ']') return close();
        do {
            element();
        } while (more(']'));
    }

private:
    static constexpr std::size_t k_chunk = std::size_t{1} << 18;
    static constexpr int k_max_depth = 16;  // a snapshot nests 5 deep; the exact reader allows 32

    void count() {
        if (++m_values > k_max_snapshot_values) throw GiveUp{};
        if (m_element_end == SIZE_MAX ? ++m_outside > k_max_element_values : m_values > m_element_end) throw GiveUp{};
    }
    void open(char c) {
        expect(c);
        count();
        if (++m_depth > k_max_depth) throw GiveUp{};
    }
    void close() {
        ++m_p;
        --m_depth;
    }
    // After an element: true at ',', false at `closing` (taken).
    bool more(char closing) {
        char c = next();
        if (c == ',') {
            ++m_p;
            return true;
        }
        if (c != closing) throw GiveUp{};
        close();
        return false;
    }
    void skip_whitespace() {
        for (;;) {
            while (m_p != m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
                ++m_p;
            if (m_p != m_end || !refill()) return;
        }
    }
    unsigned char get() {
        if (m_p == m_end && !refill()) throw GiveUp{};
        return static_cast<unsigned char>(*m_p++);
    }
    void string_body(std::string& out);
    void escape(std::string& out);
    void utf8(unsigned char lead, std::string& out);
    unsigned hex4();
    bool refill();

    const SnapshotChunkReader* m_read = nullptr;
    std::size_t m_limit = 0, m_read_bytes = 0;
    std::vector<char> m_buffer;
    const char* m_p = nullptr;
    const char* m_end = nullptr;
    bool m_eof = false;
    int m_depth = 0;
    std::size_t m_values = 0;
    std::size_t m_element_end = SIZE_MAX;  // the last value the current list element may have
    std::size_t m_outside = 0;             // values outside the lists' elements
    std::string m_key, m_scratch;
};

}  // namespace leakaudit
