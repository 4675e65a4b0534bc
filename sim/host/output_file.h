#pragma once
// Writing what a command produces. A file or directory that cannot be created or written is the
// user's environment, not a bug: EnvironmentError (one line, exit code 2) naming the path and
// the system's reason.
#include <string>

namespace rcsim {

/// Creates `dir` and its missing parents (nothing if it exists), then checks that files can be
/// created in it.
void create_output_directory(const std::string& dir);

/// Writes `path` via `path.tmp` + fsync + rename + fsync of the directory: readers never see a
/// half-written file, and once it returns the new file survives a power loss.
void write_file_atomic(const std::string& path, const std::string& contents);

/// Renames the complete file `tmp` (already fsynced or checked) to `path`, then fsyncs the
/// directory so the rename itself is durable. Refuses to replace a device, FIFO or socket; on
/// failure `tmp` is removed and an EnvironmentError names `path`.
void commit_file(const std::string& tmp, const std::string& path);

/// Throws EnvironmentError when `path` exists and is a device, FIFO or socket: rename() would
/// replace it (`--vcd /dev/full` as root would replace the device node). Commands whose output
/// comes at the end of a long run call it first, so they fail before the work, not after.
void refuse_non_regular_target(const std::string& path);

/// fsync() of a complete file another writer produced (an ofstream, gnuplot), before
/// commit_file() renames it; EnvironmentError naming `path` when the data cannot be synced.
void sync_file(const std::string& path);

/// fsync() of the directory holding `path` (a rename or a new file is durable only once its
/// directory entry is). EnvironmentError when the directory cannot be opened or synced.
void sync_parent_directory(const std::string& path);

/// A PNG or SVG another program (gnuplot) wrote cannot be written atomically by us; on a full
/// disk it ends early with exit code 0. Checks the format's trailer (PNG's IEND chunk, SVG's
/// closing tag); an incomplete file is removed and an EnvironmentError. The format is taken from
/// the name, ignoring a trailing `.tmp` (`plot.png.tmp` is a PNG).
void require_complete_image(const std::string& path);

}  // namespace rcsim
