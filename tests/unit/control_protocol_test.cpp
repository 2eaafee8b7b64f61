// The control channel parser: split lines, never throw, say what was wrong.
#include <catch2/catch.hpp>

#include "core/control_protocol.hpp"

using namespace leakaudit;

TEST_CASE("events arrive whole however the bytes are chunked", "[control]") {
    ControlParser parser;
    std::string stream =
        "{\"event\":\"started\"}\n{\"event\":\"handles\",\"items\":[{\"type\":\"Timeout\","
        "\"detail\":\"setInterval 60000ms\"}]}\n{\"event\":\"stopped\"}\n";
    std::vector<ControlEvent> events;
    for (char c : stream) {
        for (auto& e : parser.feed(std::string_view(&c, 1)))
            events.push_back(e);
    }
    REQUIRE(events.size() == 3);
    CHECK(events[0].type == ControlEvent::Type::started);
    CHECK(events[1].type == ControlEvent::Type::handles);
    CHECK(events[1].handles.at(0).type == "Timeout");
    CHECK(events[1].handles.at(0).detail == "setInterval 60000ms");
    CHECK(events[2].type == ControlEvent::Type::stopped);
    CHECK(events[2].line == 3);
}

TEST_CASE("malformed lines are invalid events with a reason, never exceptions", "[control]") {
    ControlParser parser;
    auto events = parser.feed(
        "not json\n[1,2]\n{\"event\":5}\n{\"event\":\"dance\"}\n\xff\xfe\n"
        "{\"event\":\"handles\"}\n{\"event\":\"handles\",\"items\":[{\"type\":7}]}\n");
    REQUIRE(events.size() == 7);
    for (int i = 0; i < 6; ++i)
        CHECK(events[i].type == ControlEvent::Type::invalid);
    CHECK(events[3].error.find("dance") != std::string::npos);
    CHECK(events[6].type == ControlEvent::Type::handles);
    CHECK(events[6].handles.at(0).type == "7");
}

TEST_CASE("a last line without newline counts when the channel closes", "[control]") {
    ControlParser parser;
    CHECK(parser.feed("{\"event\":\"stopped\"}").empty());
    auto events = parser.finish();
    REQUIRE(events.size() == 1);
    CHECK(events[0].type == ControlEvent::Type::stopped);
}

TEST_CASE("a line over 1 MiB is reported as too long, not as bad JSON, and not kept", "[control]") {
    ControlParser parser;
    std::string big(ControlParser::k_max_line + 10, 'a');
    auto events = parser.feed(big);
    CHECK(events.empty());
    events = parser.feed("\n{\"event\":\"stopped\"}\n");
    REQUIRE(events.size() == 2);
    CHECK(events[0].error.find("too long") != std::string::npos);
    CHECK(events[0].line == 1);
    CHECK(events[1].type == ControlEvent::Type::stopped);
}

TEST_CASE("lines past the limit are counted, not parsed", "[control]") {
    ControlParser parser;
    std::string lines;
    for (int i = 0; i < ControlParser::k_max_lines + 5; ++i)
        lines += "{\"event\":\"started\"}\n";
    auto events = parser.feed(lines);
    CHECK(events.size() == static_cast<std::size_t>(ControlParser::k_max_lines));
    CHECK(parser.skipped_lines() == 5);
}
