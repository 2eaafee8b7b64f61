#include "core/guess.hpp"

namespace leakaudit {

bool is_guess(Attribution attribution) {
    return attribution == Attribution::time_window || attribution == Attribution::new_since_before;
}

std::string guess_note(Attribution attribution) {
    switch (attribution) {
        case Attribution::time_window:
            return "guess: born during the window by the same user; who created it was not seen";
        case Attribution::new_since_before:
            return "guess: new since the before snapshot; nothing ties it to the plugin";
        default:
            return "";
    }
}

}  // namespace leakaudit
