# One INTERFACE target carries the project's warning flags, so every target agrees.
add_library(leakaudit_warnings INTERFACE)
target_compile_options(leakaudit_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference -Wformat=2)
if(LEAKAUDIT_WERROR)
  target_compile_options(leakaudit_warnings INTERFACE -Werror)
endif()
