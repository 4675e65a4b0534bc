// Field values (architecture YAML, --set, sweep axes): strict parsing with one-line errors that
// name the field; sizes with units; no unchecked narrowing (1e30, nan, inf, overflow).
#include <gtest/gtest.h>

#include <string>

#include "core/errors.h"
#include "core/field_value.h"

namespace rcsim {
namespace {

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_EQ(msg.rfind("t.yaml: a.b: ", 0), 0u) << msg;  // names file and field first
    return msg;
  }
  ADD_FAILURE() << "no ConfigError";
  return "";
}

TEST(FieldValue, Integers) {
  EXPECT_EQ(field::parse_int("16", "w"), 16);
  EXPECT_EQ(field::parse_int("016", "w"), 16);  // decimal, not octal
  EXPECT_EQ(field::parse_int("+5", "w"), 5);
  EXPECT_EQ(field::parse_int("-3", "w"), -3);
  EXPECT_EQ(field::parse_int("2147483647", "w"), 2147483647);
  for (const char* bad : {"", "x", "1e30", "1e3", "16.0", "nan", "inf", ".inf", "0x10", "+-5", " 5", "5 ", "++5"})
    EXPECT_NE(error_of([&] { field::parse_int(bad, "t.yaml: a.b"); }).find("expected an integer"),
              std::string::npos) << bad;
  for (const char* big : {"2147483648", "-2147483649", "99999999999999999999999"})
    EXPECT_NE(error_of([&] { field::parse_int(big, "t.yaml: a.b"); }).find("out of range"), std::string::npos) << big;
}

TEST(FieldValue, Numbers) {
  EXPECT_EQ(field::parse_number("1.0e9", "w"), 1e9);
  EXPECT_EQ(field::parse_number("16", "w"), 16.0);
  EXPECT_EQ(field::parse_number("+0.5", "w"), 0.5);
  for (const char* bad : {"", "x", "nan", "inf", "-inf", ".nan", ".inf", "0x1p3", "1e", "+-1"})
    EXPECT_NE(error_of([&] { field::parse_number(bad, "t.yaml: a.b"); }).find("expected a number"),
              std::string::npos) << bad;
  EXPECT_NE(error_of([&] { field::parse_number("1e400", "t.yaml: a.b"); }).find("out of range"), std::string::npos);
}

TEST(FieldValue, ByteSizesWithUnits) {
  EXPECT_EQ(field::parse_byte_size("65536", "w"), 65536);
  EXPECT_EQ(field::parse_byte_size("64K", "w"), 65536);
  EXPECT_EQ(field::parse_byte_size("64KiB", "w"), 65536);
  EXPECT_EQ(field::parse_byte_size("128KiB", "w"), 131072);
  EXPECT_EQ(field::parse_byte_size("1MiB", "w"), 1048576);
  EXPECT_EQ(field::parse_byte_size("1M", "w"), 1048576);
  EXPECT_EQ(field::parse_byte_size("1 MiB", "w"), 1048576);
  EXPECT_EQ(field::parse_byte_size("2GiB", "w"), 2147483648LL);
  EXPECT_EQ(field::parse_byte_size("0.5KiB", "w"), 512);
  EXPECT_EQ(field::parse_byte_size("1e6", "w"), 1000000);  // YAML files may write sizes so
  EXPECT_EQ(field::parse_byte_size("1048576.0", "w"), 1048576);
  EXPECT_EQ(field::parse_byte_size("9223372036854775807", "w"), 9223372036854775807LL);
  EXPECT_EQ(field::parse_byte_size("0", "w"), 0);
}

TEST(FieldValue, BadByteSizesNameTheFieldAndWhy) {
  auto why = [](const char* text) { return error_of([&] { field::parse_byte_size(text, "t.yaml: a.b"); }); };
  for (const char* bad : {"", "x", "nan", "inf", ".inf", "K", "12XB", "0x10", "64 K B", "1MiBs", "+-5"})
    EXPECT_NE(why(bad).find("expected a byte size"), std::string::npos) << bad;
  EXPECT_NE(why("-5").find("must not be negative"), std::string::npos);
  EXPECT_NE(why("-1KiB").find("must not be negative"), std::string::npos);
  EXPECT_NE(why("1MB").find("ambiguous unit 'MB'"), std::string::npos);
  EXPECT_NE(why("64KB").find("ambiguous"), std::string::npos);
  EXPECT_NE(why("100.5").find("not a whole number of bytes"), std::string::npos);
  EXPECT_NE(why("1.3K").find("not a whole number of bytes"), std::string::npos);
  for (const char* huge : {"1e30", "9223372036854775808", "8589934592G", "99999999999999999999999", "1e300KiB"})
    EXPECT_NE(why(huge).find("too large"), std::string::npos) << huge;
  EXPECT_NE(why("12XB").find("(got '12XB')"), std::string::npos);
}

TEST(FieldValue, ChoicesAndFormatting) {
  EXPECT_EQ(field::parse_choice("os", {"ws", "os", "is"}, "w"), 1u);
  EXPECT_NE(error_of([] { field::parse_choice("xs", {"ws", "os", "is"}, "t.yaml: a.b"); })
                .find("'xs' is not one of ws | os | is"),
            std::string::npos);
  EXPECT_EQ(field::format_number(2e8), "200000000");
  EXPECT_EQ(field::format_number(0.25), "0.25");
  EXPECT_EQ(field::format_number(1e20), "1e+20");
  EXPECT_EQ(field::format_byte_size(1048576), "1 MiB");
  EXPECT_EQ(field::format_byte_size(131072), "128 KiB");
  EXPECT_EQ(field::format_byte_size(1000), "1000 B");
  EXPECT_EQ(field::format_byte_size(0), "0 B");
}

}  // namespace
}  // namespace rcsim
