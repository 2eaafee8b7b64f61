// One line per error, flushed at once: the report that follows may go to another stream.
#include "app/print_error.hpp"

namespace leakaudit {

void print_error(std::string_view message, std::ostream& err) {
    err << "leakaudit: error: " << message << std::endl;
}

void print_error(const Error& error, std::ostream& err) {
    print_error(describe(error), err);
}

}  // namespace leakaudit
