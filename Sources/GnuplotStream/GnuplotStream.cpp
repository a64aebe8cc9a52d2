// The only file that includes gnuplot-iostream.h (see include/GnuplotStream.h for the contract).
//
// gnuplot-iostream's own pipe constructor discards gnuplot's exit status (its destructor calls
// pclose and prints to std::cerr when it fails), so this file opens the pipe itself and hands
// gnuplot-iostream a duplicate of the pipe's descriptor: the Gnuplot object writes commands and
// tables, its destructor flushes and closes the duplicate, and pclose on the original then
// returns the status.
#include "GnuplotStream.h"

#if !__has_include(<gnuplot-iostream.h>)
#error "gnuplot-iostream.h not found: install the Debian package libgnuplot-iostream-dev (bash scripts/install-deps.sh)"
#endif
#include <gnuplot-iostream.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

/// One table row, sent by gnuplot-iostream as one line of comma-separated numbers.
struct CommaRow {
    const double *values;
    size_t count;
};

}  // namespace

namespace gnuplotio {
/// gnuplot-iostream separates the columns of nested containers with spaces; a CommaRow keeps
/// the CSV separator and sends each number with gnuplot-iostream's own double sender
/// (full precision, `nan` for NaN).
template <>
struct TextSender<CommaRow> {
    static void send(std::ostream &stream, const CommaRow &row) {
        for (size_t i = 0; i < row.count; ++i) {
            if (i > 0) stream << ',';
            TextSender<double>::send(stream, row.values[i]);
        }
    }
};
}  // namespace gnuplotio

struct gnuplot_stream {
    FILE *pipe = nullptr;                          // from popen; pclose gives the exit status
    std::unique_ptr<gnuplotio::Gnuplot> gnuplot;  // writes to a duplicate of the pipe's descriptor
    std::string error_path;                       // gnuplot's standard error
};

namespace {

/// Blocks SIGPIPE on this thread while gnuplot is written to, so that writing to a gnuplot that
/// has exited fails with EPIPE instead of ending the process; a SIGPIPE raised meanwhile is
/// consumed before the old mask returns.
class SigpipeBlock {
public:
    SigpipeBlock() {
        sigemptyset(&pipe_only_);
        sigaddset(&pipe_only_, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &pipe_only_, &previous_);
    }
    ~SigpipeBlock() {
        sigset_t pending;
        sigpending(&pending);
        if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
            const timespec now = {0, 0};
            sigtimedwait(&pipe_only_, nullptr, &now);
        }
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }
    SigpipeBlock(const SigpipeBlock &) = delete;
    SigpipeBlock &operator=(const SigpipeBlock &) = delete;

private:
    sigset_t pipe_only_;
    sigset_t previous_;
    bool was_pending_ = false;
};

/// `text` as one single-quoted shell word.
std::string shell_quoted(const std::string &text) {
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'') quoted += "'\\''";
        else quoted += c;
    }
    return quoted + "'";
}

int status_of(gnuplot_stream *stream) {
    return stream->gnuplot && stream->gnuplot->good() ? 0 : -1;
}

}  // namespace

extern "C" gnuplot_stream *gnuplot_stream_open(const char *executable) {
    try {
        auto stream = std::make_unique<gnuplot_stream>();
        const char *directory = std::getenv("TMPDIR");
        std::string name = std::string(directory && directory[0] ? directory : "/tmp") + "/claimbench-gnuplot-XXXXXX";
        std::vector<char> buffer(name.begin(), name.end());
        buffer.push_back('\0');
        int descriptor = mkstemp(buffer.data());
        if (descriptor < 0) return nullptr;
        close(descriptor);
        stream->error_path = buffer.data();

        // `exec` so that the shell's own "not found" message also lands in the error file.
        std::string command = "exec " + shell_quoted(executable) + " >/dev/null 2>" + shell_quoted(stream->error_path);
        stream->pipe = popen(command.c_str(), "w");
        if (!stream->pipe) {
            int saved = errno;
            unlink(stream->error_path.c_str());
            errno = saved;
            return nullptr;
        }
        // Close-on-exec, like popen's own descriptor, so that a gnuplot started later by this
        // process does not hold this pipe open.
        int duplicate = fcntl(fileno(stream->pipe), F_DUPFD_CLOEXEC, 0);
        FILE *writer = duplicate < 0 ? nullptr : fdopen(duplicate, "w");
        if (!writer) {
            int saved = errno;
            if (duplicate >= 0) close(duplicate);
            pclose(stream->pipe);
            unlink(stream->error_path.c_str());
            errno = saved;
            return nullptr;
        }
        stream->gnuplot = std::make_unique<gnuplotio::Gnuplot>(writer);
        return stream.release();
    } catch (...) {
        errno = ENOMEM;
        return nullptr;
    }
}

extern "C" int gnuplot_stream_send_commands(gnuplot_stream *stream, const char *text) {
    SigpipeBlock block;
    try {
        *stream->gnuplot << text << std::flush;
    } catch (...) {
        return -1;
    }
    return status_of(stream);
}

extern "C" int gnuplot_stream_send_table(gnuplot_stream *stream, const char *name,
                                         const char *const *column_names, size_t columns,
                                         const double *values, size_t rows) {
    SigpipeBlock block;
    try {
        gnuplotio::Gnuplot &gnuplot = *stream->gnuplot;
        // send1d ends the rows with gnuplot's end-of-data line "e", so that line closes the
        // datablock. gnuplot ends a datablock at the first line that starts with its marker;
        // quoted names keep the header line from starting with "e", and numbers never do.
        gnuplot << "$" << name << " << e\n";
        for (size_t column = 0; column < columns; ++column) {
            gnuplot << (column > 0 ? ",\"" : "\"") << column_names[column] << "\"";
        }
        gnuplot << "\n";
        std::vector<CommaRow> table;
        table.reserve(rows);
        for (size_t row = 0; row < rows; ++row) table.push_back(CommaRow{values + row * columns, columns});
        gnuplot.send1d(table);
    } catch (...) {
        return -1;
    }
    return status_of(stream);
}

extern "C" int gnuplot_stream_close(gnuplot_stream *stream, char **standard_error) {
    int status = -1;
    {
        SigpipeBlock block;
        try {
            stream->gnuplot.reset();  // flushes, then closes the duplicate descriptor
        } catch (...) {
        }
        int wait_status = pclose(stream->pipe);
        if (wait_status != -1) {
            if (WIFEXITED(wait_status)) status = WEXITSTATUS(wait_status);
            else if (WIFSIGNALED(wait_status)) status = 128 + WTERMSIG(wait_status);
        }
    }
    std::string text;
    try {
        std::ifstream file(stream->error_path, std::ios::binary);
        text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    } catch (...) {
    }
    unlink(stream->error_path.c_str());
    delete stream;
    if (standard_error) {
        *standard_error = static_cast<char *>(std::malloc(text.size() + 1));
        if (*standard_error) std::memcpy(*standard_error, text.c_str(), text.size() + 1);
    }
    return status;
}

extern "C" void gnuplot_stream_free_text(char *text) { std::free(text); }
