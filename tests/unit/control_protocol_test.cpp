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
    CHECK(says(events[0], ControlMessage::Type::started));
    REQUIRE(says(events[1], ControlMessage::Type::handles));
    CHECK(events[1]->handles.at(0).type == "Timeout");
    CHECK(events[1]->handles.at(0).detail == "setInterval 60000ms");
    CHECK(says(events[2], ControlMessage::Type::stopped));
    CHECK(line_of(events[2]) == 3);
}

TEST_CASE("malformed lines are invalid events with a reason, never exceptions", "[control]") {
    ControlParser parser;
    auto events = parser.feed(
        "not json\n[1,2]\n{\"event\":5}\n{\"event\":\"dance\"}\n\xff\xfe\n"
        "{\"event\":\"handles\"}\n{\"event\":\"handles\",\"items\":[{\"type\":7}]}\n");
    REQUIRE(events.size() == 7);
    for (int i = 0; i < 6; ++i) {
        REQUIRE_FALSE(events[i].has_value());
        CHECK(line_of(events[i]) == i + 1);
    }
    CHECK(events[0].error().message == "not a JSON object");
    CHECK(events[2].error().message == "no \"event\" string");
    CHECK(events[3].error().message == "unknown event \"dance\"");
    CHECK(events[4].error().message == "not UTF-8");
    CHECK(events[5].error().message == "\"handles\" without an \"items\" array");
    REQUIRE(says(events[6], ControlMessage::Type::handles));
    CHECK(events[6]->handles.at(0).type == "7");
}

TEST_CASE("a last line without newline counts when the channel closes", "[control]") {
    ControlParser parser;
    CHECK(parser.feed("{\"event\":\"stopped\"}").empty());
    auto events = parser.finish();
    REQUIRE(events.size() == 1);
    CHECK(says(events[0], ControlMessage::Type::stopped));
}

TEST_CASE("a line over 1 MiB is reported as too long, not as bad JSON, and not kept", "[control]") {
    ControlParser parser;
    std::string big(ControlParser::k_max_line + 10, 'a');
    auto events = parser.feed(big);
    CHECK(events.empty());
    events = parser.feed("\n{\"event\":\"stopped\"}\n");
    REQUIRE(events.size() == 2);
    REQUIRE_FALSE(events[0].has_value());
    CHECK(events[0].error().message ==
          "line too long (" + std::to_string(ControlParser::k_max_line + 10) + " bytes, at most 1 MiB)");
    CHECK(line_of(events[0]) == 1);
    CHECK(says(events[1], ControlMessage::Type::stopped));
    CHECK(line_of(events[1]) == 2);
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
