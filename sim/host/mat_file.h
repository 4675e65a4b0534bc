#pragma once
// A small reader for MATLAB Level-5 MAT-files (what `save -v7` writes, e.g. the SVHN .mat
// files): 128-byte header, then data elements; miCOMPRESSED elements are inflated with zlib.
// Only real numeric arrays are returned; char/cell/struct/sparse variables are skipped.
// Little-endian files only; v7.3 (HDF5) files are rejected with a hint.
#include <cstdint>
#include <string>
#include <vector>

namespace rcsim {

/// MATLAB array classes (mxClassID) of the numeric arrays we read.
enum class MatClass : std::uint8_t {
  Double = 6, Single = 7, Int8 = 8, UInt8 = 9, Int16 = 10, UInt16 = 11,
  Int32 = 12, UInt32 = 13, Int64 = 14, UInt64 = 15
};

/// Storage types of data elements (miINT8 …). MATLAB may store a class in a narrower type
/// (a double array of small integers is written as miUINT8), so both are kept.
enum class MatType : std::uint32_t {
  Int8 = 1, UInt8 = 2, Int16 = 3, UInt16 = 4, Int32 = 5, UInt32 = 6, Single = 7, Double = 9,
  Int64 = 12, UInt64 = 13, Matrix = 14, Compressed = 15
};

const char* to_string(MatClass c);

/// One named real numeric array, column-major as MATLAB stores it.
struct MatArray {
  std::string name;
  MatClass cls = MatClass::Double;
  MatType storage = MatType::Double;
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> bytes;  ///< numel() values of `storage`, little-endian

  std::int64_t numel() const;
  /// Value i converted to double (i < numel()).
  double value(std::size_t i) const;
};

/// Parses a MAT file held in memory. If `wanted` is non-empty, other variables are skipped
/// without being decoded (the SVHN train file holds 225 MB of pixels).
std::vector<MatArray> parse_mat(const std::vector<std::uint8_t>& file, const std::string& origin,
                                const std::vector<std::string>& wanted = {});

std::vector<MatArray> read_mat_file(const std::string& path, const std::vector<std::string>& wanted = {});

/// The variable called `name`; InputError "<origin>: no variable 'name'" if absent.
const MatArray& find_mat_array(const std::vector<MatArray>& arrays, const std::string& name,
                               const std::string& origin);

}  // namespace rcsim
