#pragma once
// A table printed as aligned text columns or as Markdown (the docs' generated tables): `rcsim info`.
#include <string>
#include <vector>

namespace rcsim::cli {

using Row = std::vector<std::string>;

/// Text: columns padded to their widest cell (UTF-8 aware), two spaces apart, the last unpadded.
/// Markdown: one `| a | b |` line per row, '|' and '<' escaped, cells of `code_columns` in
/// backticks.
std::string render(const Row& header, const std::vector<Row>& rows, bool markdown,
                   const std::vector<bool>& code_columns);

}  // namespace rcsim::cli
