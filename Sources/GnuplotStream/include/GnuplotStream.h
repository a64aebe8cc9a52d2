/// A narrow C interface to one gnuplot process driven through gnuplot-iostream
/// (Debian's libgnuplot-iostream-dev). This header is all that Swift sees: no C++ and no Boost
/// cross it. GnuplotFigures is its only user.
#ifndef CLAIMBENCH_GNUPLOT_STREAM_H
#define CLAIMBENCH_GNUPLOT_STREAM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One running gnuplot process and the file that collects its standard error.
typedef struct gnuplot_stream gnuplot_stream;

/// Starts `executable` (a path; no PATH search) reading commands from a pipe, with its standard
/// output discarded and its standard error collected in a temporary file.
/// Returns NULL when the pipe or the temporary file cannot be made (errno says why). A program
/// that cannot be run still returns a stream: closing it reports exit status 127.
gnuplot_stream *gnuplot_stream_open(const char *executable);

/// Sends `text` as it is: gnuplot commands, newlines included.
/// Returns 0, or -1 once gnuplot has stopped reading (it exited; closing says why).
int gnuplot_stream_send_commands(gnuplot_stream *stream, const char *text);

/// Defines the datablock `$<name>`: a header line of quoted column names, then `rows` rows of
/// `columns` numbers each from `values` (row-major), separated by commas so that a script that
/// `set datafile separator comma` reads it as it reads a CSV file. Names must not contain a
/// double quote or a newline. Returns 0, or -1 once gnuplot has stopped reading.
int gnuplot_stream_send_table(gnuplot_stream *stream, const char *name,
                              const char *const *column_names, size_t columns,
                              const double *values, size_t rows);

/// Closes gnuplot's input, waits for it to exit and frees `stream`. Returns its exit status
/// (128 + the signal number when a signal ended it, -1 when waiting failed). `*standard_error`
/// receives what gnuplot wrote to standard error, NUL-terminated; free it with
/// gnuplot_stream_free_text.
int gnuplot_stream_close(gnuplot_stream *stream, char **standard_error);

/// Frees text returned by gnuplot_stream_close.
void gnuplot_stream_free_text(char *text);

#ifdef __cplusplus
}
#endif

#endif
