// The exact reader (the fast path, core/snapshot_json_fast.cpp, gives up to it on
// anything but a valid snapshot). Snapshots are read with nlohmann's SAX interface: the root's small fields become a
// small tree, and each element of `processes`, `sockets` and `tmp` becomes a tree of its
// own only until it is converted to the model. The lexer is the one the DOM reader used,
// so a corrupt file gets the same "line:col: invalid JSON (…)" message, and the bounds
// (README, "Limits") are checked on the same events as before.
#include <array>
#include <cstring>
#include <limits>

#include "core/snapshot_chunk_source.hpp"
#include "core/snapshot_json.hpp"
#include "core/snapshot_json_fast.hpp"
#include "core/snapshot_json_fields.hpp"

namespace leakaudit {

namespace {

using json = nlohmann::ordered_json;
using snapshot_fields::FieldError;

// The input iterator nlohmann's iterator adapter reads through; equal to the end
// iterator once the source is exhausted.
class SourceIterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = char;

    explicit SourceIterator(ChunkSource* source = nullptr) : m_source(source) {}
    char operator*() const { return m_source->peek(); }
    SourceIterator& operator++() {
        m_source->take();
        return *this;
    }
    SourceIterator operator++(int) {
        SourceIterator before = *this;
        m_source->take();
        return before;
    }
    // Only ever compared with the end iterator (nullptr source).
    bool operator==(const SourceIterator& other) const {
        ChunkSource* s = m_source ? m_source : other.m_source;
        return s == nullptr || s->at_end();
    }

private:
    ChunkSource* m_source;
};

enum class List { none, processes, sockets, tmp };

constexpr std::array<const char*, 3> k_list_keys{"processes", "sockets", "tmp"};

// Builds the root object without its three lists, and hands each list element, once it is
// complete, to its converter. Errors are kept, not thrown, and reported in the order the
// DOM reader reported them: parse and shape errors first, then the root's fields, then
// each list's first bad element.
class SnapshotSax {
public:
    explicit SnapshotSax(SnapshotSink& sink) : m_sink(sink) {}

    // The DOM reader's callback saw `depth` = containers open around the event.
    bool null() { return add(json(nullptr)); }
    bool boolean(bool v) { return add(json(v)); }
    bool number_integer(json::number_integer_t v) { return add(json(v)); }
    bool number_unsigned(json::number_unsigned_t v) { return add(json(v)); }
    bool number_float(json::number_float_t v, const std::string&) { return add(json(v)); }
    bool string(std::string& v) { return add(json(std::move(v))); }
    bool binary(json::binary_t&) { return add(json()); }  // not in JSON text
    bool start_object(std::size_t) { return open(json::object()); }
    bool start_array(std::size_t) { return open(json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool key(std::string& k) {
        if (!within_depth()) return false;
        if (m_stack.size() == 1) {
            m_root_key = List::none;
            for (std::size_t i = 0; i < k_list_keys.size(); ++i) {
                if (k == k_list_keys[i]) m_root_key = static_cast<List>(i + 1);
            }
        }
        m_key = std::move(k);
        return true;
    }
    bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& e) {
        m_parse_error = true;
        m_error_byte = position;
        m_error_token_size = token.size();
        if (const auto* parse = dynamic_cast<const json::parse_error*>(&e)) {
            m_error_byte = parse->byte;
            m_is_syntax = true;
        }
        m_error_what = e.what();
        return false;
    }

    Result<SnapshotRead> finish(ChunkSource& source);

private:
    bool within_depth() {
        if (m_stack.size() > static_cast<std::size_t>(k_max_snapshot_depth)) {
            m_shape_error = "nested deeper than " + std::to_string(k_max_snapshot_depth);
            return false;
        }
        return true;
    }
    bool counted() {
        if (!within_depth()) return false;
        if (++m_values > k_max_snapshot_values) {
            m_shape_error = "more than " + std::to_string(k_max_snapshot_values) + " values";
            return false;
        }
        if (m_in_element && m_values - m_element_first >= k_max_element_values) {
            std::size_t i = static_cast<std::size_t>(m_list) - 1;
            m_shape_error = std::string(k_list_keys[i]) + "[" + std::to_string(m_counts[i]) + "] has more than " +
                            std::to_string(k_max_element_values) + " values";
            return false;
        }
        return true;
    }
    // Where a new value goes: the root, a list element of its own, or its parent.
    json* place(json&& value) {
        m_placed_in_tree = !m_in_element;
        if (m_stack.empty()) {
            m_root = std::move(value);
            return &m_root;
        }
        json* parent = m_stack.back();
        if (m_stack.size() == 2 && m_list != List::none && parent == m_list_placeholder) {
            m_element = std::move(value);
            m_placed_in_tree = false;
            m_in_element = true;
            m_element_first = m_values;
            return &m_element;
        }
        if (parent->is_array()) {
            parent->push_back(std::move(value));
            return &parent->back();
        }
        json& slot = (*parent)[m_key];
        slot = std::move(value);
        if (m_stack.size() == 1) start_root_value(slot);
        return &slot;
    }
    // A list key's array stays empty in the root; its elements go to the model.
    void start_root_value(json& slot) {
        if (m_root_key == List::none || !slot.is_array()) return;
        m_list = m_root_key;
        m_list_placeholder = &slot;
        std::size_t i = static_cast<std::size_t>(m_list) - 1;
        m_counts[i] = 0;
        m_list_errors[i].clear();
        m_sink.begin(static_cast<SnapshotList>(i));
    }
    bool add(json&& value) {
        if (!counted()) return false;
        json* at = place(std::move(value));
        if (at == &m_element) convert_element();
        return in_tree_bound();
    }
    bool open(json&& container) {
        if (!counted()) return false;
        m_stack.push_back(place(std::move(container)));
        return in_tree_bound();
    }
    // Values outside the lists' elements stay in the root's tree: bounded as one element is.
    bool in_tree_bound() {
        if (!m_placed_in_tree) return true;
        if (++m_tree_values <= k_max_element_values) return true;
        m_shape_error = "more than " + std::to_string(k_max_element_values) + " values outside the lists";
        return false;
    }
    bool close() {
        json* done = m_stack.back();
        m_stack.pop_back();
        if (done == &m_element) convert_element();
        if (done == m_list_placeholder) {
            m_list = List::none;
            m_list_placeholder = nullptr;
        }
        return true;
    }
    void convert_element();

    json m_root;
    json m_element;
    std::vector<json*> m_stack;
    std::string m_key;
    List m_root_key = List::none;
    List m_list = List::none;
    json* m_list_placeholder = nullptr;
    std::array<std::size_t, 3> m_counts{};
    std::array<std::string, 3> m_list_errors;
    SnapshotSink& m_sink;
    std::size_t m_values = 0;
    bool m_in_element = false;
    std::size_t m_tree_values = 0;
    bool m_placed_in_tree = false;  // the last value placed went into the root's tree
    std::size_t m_element_first = 0;  // the element's own value: m_values when it was placed
    std::string m_shape_error;
    bool m_parse_error = false, m_is_syntax = false;
    std::size_t m_error_byte = 0, m_error_token_size = 0;
    std::string m_error_what;
};

void SnapshotSax::convert_element() {
    std::size_t i = static_cast<std::size_t>(m_list) - 1;
    std::string where = std::string(k_list_keys[i]) + "[" + std::to_string(m_counts[i]++) + "]";
    if (m_list_errors[i].empty()) {
        try {
            if (m_list == List::processes) m_sink.add(snapshot_fields::process_from(m_element, where));
            if (m_list == List::sockets) m_sink.add(snapshot_fields::socket_from(m_element, where));
            if (m_list == List::tmp) m_sink.add(snapshot_fields::entry_from(m_element, where));
        } catch (const FieldError& e) {
            m_list_errors[i] = e.message;
        } catch (const json::exception& e) {
            m_list_errors[i] = std::string("malformed snapshot: ") + e.what();
        }
    }
    m_element = json();
    m_in_element = false;
}

Result<SnapshotRead> SnapshotSax::finish(ChunkSource& source) {
    source.drain();  // after an error: the size limit is still the first error
    if (source.over_limit()) {
        return unexpected(
            Error{"larger than " + std::to_string(k_max_snapshot_bytes >> 20) + " MiB: not a snapshot", {}, 1, 1});
    }
    if (!m_shape_error.empty()) return unexpected(Error{"not a snapshot: " + m_shape_error, {}, 1, 1});
    if (m_parse_error && m_is_syntax) {
        std::size_t offset = m_error_byte ? m_error_byte - 1 : 0;
        return unexpected(
            source.error_at("invalid JSON (" +
                                (m_error_byte >= source.total_read() ? std::string("the file ends early: truncated?")
                                                                     : "unexpected content") +
                                ")",
                            offset));
    }
    if (m_parse_error) {  // 1e999: out_of_range, at the token that ends at `position`
        return unexpected(source.error_at("invalid JSON (" + m_error_what + ")", m_error_byte, m_error_token_size));
    }
    SnapshotRead result;
    try {
        snapshot_fields::read_root_fields(m_root, result);
        for (std::size_t i = 0; i < k_list_keys.size(); ++i) {
            snapshot_fields::require_list(m_root, k_list_keys[i]);
            if (!m_list_errors[i].empty()) throw FieldError{m_list_errors[i]};
        }
    } catch (const FieldError& e) {
        return unexpected(e.message);
    } catch (const json::exception& e) {
        return unexpected(std::string("malformed snapshot: ") + e.what());
    }
    return result;
}

// The default sink: every element, in the document's order.
class WholeSnapshot : public SnapshotSink {
public:
    void begin(SnapshotList list) override {
        if (list == SnapshotList::processes) m_snapshot.processes.clear();
        if (list == SnapshotList::sockets) m_snapshot.sockets.clear();
        if (list == SnapshotList::tmp) m_snapshot.tmp.clear();
    }
    void add(Process&& p) override { m_snapshot.processes.push_back(std::move(p)); }
    void add(Socket&& s) override { m_snapshot.sockets.push_back(std::move(s)); }
    void add(TmpEntry&& e) override { m_snapshot.tmp.push_back(std::move(e)); }
    void restart() override { m_snapshot = Snapshot(); }

    // The lists into the result, which holds the root's fields.
    Result<SnapshotRead> into(Result<SnapshotRead> result) {
        if (!result) return result;
        m_snapshot.taken_at_ms = result->snapshot.taken_at_ms;
        m_snapshot.watched = std::move(result->snapshot.watched);
        result->snapshot = std::move(m_snapshot);
        return result;
    }

private:
    Snapshot m_snapshot;
};

Result<SnapshotRead> read_from(const SnapshotChunkReader& read, std::size_t limit, SnapshotSink& sink) {
    ChunkSource source(read, limit);
    SnapshotSax sax(sink);
    json::sax_parse(SourceIterator(&source), SourceIterator(), &sax);
    return sax.finish(source);
}

Result<SnapshotRead> read_from(const SnapshotChunkReader& read, std::size_t limit) {
    WholeSnapshot whole;
    return whole.into(read_from(read, limit, whole));
}

SnapshotChunkReader text_reader(std::string_view text, std::size_t& at) {
    return [text, &at](char* buffer, std::size_t size) {
        std::size_t n = std::min(size, text.size() - at);
        text.copy(buffer, n, at);
        at += n;
        return n;
    };
}

// The fast path, then the exact reader from the first byte when it gives up.
Result<SnapshotRead> text_with_fallback(std::string_view text, SnapshotSink& sink) {
    if (std::optional<SnapshotRead> fast = read_snapshot_json_fast(text, sink)) return std::move(*fast);
    sink.restart();
    std::size_t at = 0;
    return read_from(text_reader(text, at), std::numeric_limits<std::size_t>::max(), sink);
}

Result<SnapshotRead> chunks_with_fallback(const SnapshotChunkReader& read, const SnapshotRewind& rewind,
                                        SnapshotSink& sink) {
    if (std::optional<SnapshotRead> fast = read_snapshot_json_fast(read, k_max_snapshot_bytes, sink))
        return std::move(*fast);
    sink.restart();
    if (!rewind()) return unexpected(Error{"cannot read it again from its start", "", 1, 1});
    return read_from(read, k_max_snapshot_bytes, sink);
}

}  // namespace

Result<SnapshotRead> read_snapshot_json(const SnapshotChunkReader& read) {
    return read_from(read, k_max_snapshot_bytes);
}

Result<SnapshotRead> read_snapshot_json(const SnapshotChunkReader& read, SnapshotSink& sink) {
    return read_from(read, k_max_snapshot_bytes, sink);
}

Result<SnapshotRead> read_snapshot_json(const SnapshotChunkReader& read, const SnapshotRewind& rewind,
                                      SnapshotSink& sink) {
    return chunks_with_fallback(read, rewind, sink);
}

Result<SnapshotRead> read_snapshot_json(const SnapshotChunkReader& read, const SnapshotRewind& rewind) {
    WholeSnapshot whole;
    return whole.into(chunks_with_fallback(read, rewind, whole));
}

Result<SnapshotRead> read_snapshot_json(std::string_view text, SnapshotSink& sink) {
    return text_with_fallback(text, sink);
}

Result<SnapshotRead> read_snapshot_json(std::istream& in) {
    return read_from(
        [&in](char* buffer, std::size_t size) {
            in.read(buffer, static_cast<std::streamsize>(size));
            return static_cast<std::size_t>(in.gcount());
        },
        k_max_snapshot_bytes);
}

Result<SnapshotRead> read_snapshot_json(std::string_view text) {
    WholeSnapshot whole;
    return whole.into(text_with_fallback(text, whole));
}

}  // namespace leakaudit
