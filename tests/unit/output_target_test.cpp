// What is at a report's path decides how it is written: never a replaced device or link.
#include <catch2/catch.hpp>

#include "core/output_target.hpp"

using namespace leakaudit;

TEST_CASE("regular files and new paths are replaced, streams are written in place", "[unit][output]") {
    CHECK(decide_write(TargetKind::missing).method == WriteMethod::replace);
    CHECK(decide_write(TargetKind::regular).method == WriteMethod::replace);
    for (TargetKind k :
         {TargetKind::standard_output, TargetKind::fifo, TargetKind::char_device, TargetKind::link_to_stream})
        CHECK(decide_write(k).method == WriteMethod::in_place);
}

TEST_CASE("folders, sockets, block devices and links to files are refused with a reason", "[unit][output]") {
    for (TargetKind k : {TargetKind::directory, TargetKind::other, TargetKind::link_to_other}) {
        WriteDecision d = decide_write(k);
        CHECK(d.method == WriteMethod::refuse);
        CHECK_FALSE(d.reason.empty());
    }
}
