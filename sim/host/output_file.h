#pragma once
// Writing what a command produces. A file or directory that cannot be created or written is the
// user's environment, not a bug: EnvironmentError (one line, exit code 2) naming the path and
// the system's reason.
#include <string>

namespace rcsim {

/// Creates `dir` and its missing parents (nothing if it exists), then checks that files can be
/// created in it.
void create_output_directory(const std::string& dir);

/// Writes `path` via `path.tmp` + fsync + rename: readers never see a half-written file.
void write_file_atomic(const std::string& path, const std::string& contents);

/// A PNG or SVG another program (gnuplot) wrote cannot be written atomically by us; on a full
/// disk it ends early with exit code 0. Checks the format's trailer (PNG's IEND chunk, SVG's
/// closing tag); an incomplete file is removed and an EnvironmentError.
void require_complete_image(const std::string& path);

}  // namespace rcsim
