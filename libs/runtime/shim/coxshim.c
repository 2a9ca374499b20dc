// coxshim: a tiny conmon-like monitor that keeps one runc container alive and observed
// independently of the node agent.
//
//   coxshim run --runc BIN --root DIR --id ID --bundle DIR --pid-file F --log F
//               --log-max BYTES --exit F --shim-pid F [--oom F] [--runc-log F] [--stdin FIFO]
//               [--start]
//
// The process the agent starts forks a daemon (setsid, double fork, child subreaper) and
// prints "ok <pid>" once `runc create` has succeeded, or "error <text>" and exits 1. With
// --start the daemon runs `runc run --detach` instead: created and started by one runc
// process (a second one for `runc start` costs ~20 ms of a pod's start here). The
// daemon owns the container's stdout/stderr pipes and writes them to a CRI-format log
// (`<RFC3339Nano> stdout|stderr F|P <text>`, `P` for a partial line cut at 16 KiB) that it
// rotates to `<log>.1` past --log-max. Because it is the subreaper, the container init is
// reparented to it; when the init exits it drains the pipes, reads the OOM-kill counter of
// the container's memory cgroup (--oom: v1 memory.oom_control or v2 memory.events) and
// writes --exit atomically: {"exitCode","signal","finishedAt","oomKilled"}.
//
//   coxshim tty-exec --runc BIN --root DIR --id ID [--cwd D] [--env K=V]... -- CMD ARGS...
//
// Runs `runc exec -t` on a pseudo-terminal the shim owns and relays it over its own
// stdin/stdout (pipes from the agent). Lines "<rows> <cols>\n" on fd 3 resize the terminal.
// Exits with the exec'd process's exit code.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 16384
#define DRAIN_AFTER_EXIT_MS 2000

static const char *opt_runc, *opt_root, *opt_id, *opt_bundle, *opt_pid_file, *opt_log, *opt_exit,
    *opt_shim_pid, *opt_oom, *opt_runc_log, *opt_cwd, *opt_stdin;
static int opt_start;
static long long opt_log_max = 10 * 1024 * 1024;

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("error ", stdout);
  vfprintf(stdout, fmt, ap);
  fputc('\n', stdout);
  va_end(ap);
  exit(1);
}

static void write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    buf += n;
    len -= (size_t)n;
  }
}

static void set_nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void rfc3339nano(char *out, size_t size) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out + n, size - n, ".%09ldZ", ts.tv_nsec);
}

// ---- CRI log writer -------------------------------------------------------------------

static int log_fd = -1;
static long long log_size;

static void log_open(void) {
  log_fd = open(opt_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  struct stat st;
  log_size = (log_fd >= 0 && fstat(log_fd, &st) == 0) ? st.st_size : 0;
}

static void log_rotate(void) {
  char old[4096];
  snprintf(old, sizeof old, "%s.1", opt_log);
  close(log_fd);
  rename(opt_log, old);
  log_open();
}

static void log_record(const char *stream, char tag, const char *data, size_t len) {
  if (log_fd < 0) return;
  char head[96];
  char ts[64];
  rfc3339nano(ts, sizeof ts);
  int hlen = snprintf(head, sizeof head, "%s %s %c ", ts, stream, tag);
  long long total = hlen + (long long)len + 1;
  if (opt_log_max > 0 && log_size > 0 && log_size + total > opt_log_max) log_rotate();
  struct iovec iov[3] = {{head, (size_t)hlen}, {(void *)data, len}, {"\n", 1}};
  if (writev(log_fd, iov, 3) > 0) log_size += total;
}

struct stream {
  const char *name;
  int fd;
  char buf[LINE_MAX_BYTES];
  size_t used;
};

// Splits a chunk into records: F at each newline, P whenever 16 KiB pile up without one.
static void stream_feed(struct stream *s, const char *data, size_t len) {
  while (len > 0) {
    const char *nl = memchr(data, '\n', len);
    size_t take = nl ? (size_t)(nl - data) : len;
    size_t room = LINE_MAX_BYTES - s->used;
    if (take >= room) {
      memcpy(s->buf + s->used, data, room);
      log_record(s->name, 'P', s->buf, LINE_MAX_BYTES);
      s->used = 0;
      data += room;
      len -= room;
      continue;
    }
    memcpy(s->buf + s->used, data, take);
    s->used += take;
    if (!nl) return;
    log_record(s->name, 'F', s->buf, s->used);
    s->used = 0;
    data += take + 1;
    len -= take + 1;
  }
}

static void stream_flush(struct stream *s) {
  if (s->used > 0) log_record(s->name, 'F', s->buf, s->used);
  s->used = 0;
}

// Reads what is available; returns 0 at EOF or on error (the fd is then closed).
static int stream_pump(struct stream *s) {
  char chunk[65536];
  for (;;) {
    ssize_t n = read(s->fd, chunk, sizeof chunk);
    if (n > 0) {
      stream_feed(s, chunk, (size_t)n);
      continue;
    }
    if (n < 0 && (errno == EINTR)) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 1;
    close(s->fd);
    s->fd = -1;
    return 0;
  }
}

// ---- helpers for files ---------------------------------------------------------------

static int read_file(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, size - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = 0;
  return (int)n;
}

static void write_file_atomic(const char *path, const char *content) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  write_all(fd, content, strlen(content));
  fsync(fd);
  close(fd);
  rename(tmp, path);
}

// Value of `key N` in a flat-keyed cgroup file, or -1.
static long long keyed_value(const char *text, const char *key) {
  size_t klen = strlen(key);
  for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
    if (strncmp(p, key, klen) == 0 && p[klen] == ' ') return atoll(p + klen + 1);
  }
  return -1;
}

static int oom_killed(void) {
  if (!opt_oom) return 0;
  char text[4096];
  if (read_file(opt_oom, text, sizeof text) < 0) return 0;
  long long kills = keyed_value(text, "oom_kill");
  if (kills > 0) return 1;
  return keyed_value(text, "under_oom") > 0;
}

// ---- run mode ------------------------------------------------------------------------

static pid_t spawn_runc_create(int in_r, int out_w, int err_w) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  // Dispositions and masks survive exec: give runc (and so the container) clean ones.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
  int devnull = open("/dev/null", O_RDWR);
  dup2(in_r >= 0 ? in_r : devnull, 0);
  dup2(out_w, 1);
  dup2(err_w, 2);
  const char *argv[16];
  int i = 0;
  argv[i++] = opt_runc;
  argv[i++] = "--root";
  argv[i++] = opt_root;
  if (opt_runc_log) {
    argv[i++] = "--log";
    argv[i++] = opt_runc_log;
    argv[i++] = "--log-format";
    argv[i++] = "json";
  }
  argv[i++] = opt_start ? "run" : "create";
  if (opt_start) argv[i++] = "--detach";
  argv[i++] = "--bundle";
  argv[i++] = opt_bundle;
  argv[i++] = "--pid-file";
  argv[i++] = opt_pid_file;
  argv[i++] = opt_id;
  argv[i] = NULL;
  execv(opt_runc, (char *const *)argv);
  _exit(127);
}

static void report(int sync_fd, const char *fmt, ...) {
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  write_all(sync_fd, msg, strlen(msg));
  close(sync_fd);
}

static void daemon_main(int sync_fd) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  if (chdir("/") != 0) { /* keep going: nothing depends on the cwd */ }
  int devnull = open("/dev/null", O_RDWR);
  dup2(devnull, 0);
  dup2(devnull, 1);
  dup2(devnull, 2);
  if (devnull > 2) close(devnull);

  char buf[4096];
  snprintf(buf, sizeof buf, "%d\n", getpid());
  write_file_atomic(opt_shim_pid, buf);

  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);

  int outp[2], errp[2];
  if (pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
    report(sync_fd, "error pipe: %s\n", strerror(errno));
    _exit(1);
  }
  log_open();
  // --stdin: the container's stdin is a FIFO that attach writes into. Opened read-write so
  // neither side blocks on open and the container sees no EOF between attach sessions.
  int in_r = -1;
  if (opt_stdin) {
    if (mkfifo(opt_stdin, 0600) != 0 && errno != EEXIST) {
      report(sync_fd, "error mkfifo %s: %s\n", opt_stdin, strerror(errno));
      _exit(1);
    }
    in_r = open(opt_stdin, O_RDWR | O_CLOEXEC);
    if (in_r < 0) {
      report(sync_fd, "error open %s: %s\n", opt_stdin, strerror(errno));
      _exit(1);
    }
  }
  pid_t runc = spawn_runc_create(in_r, outp[1], errp[1]);
  if (in_r >= 0) close(in_r);
  close(outp[1]);
  close(errp[1]);
  set_nonblock(outp[0]);
  set_nonblock(errp[0]);

  int status;
  while (waitpid(runc, &status, 0) < 0 && errno == EINTR) {}
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    // runc prints its error on stderr; the container never ran, so it is not a log line.
    char err[1024] = "";
    ssize_t n = read(errp[0], err, sizeof err - 1);
    err[n > 0 ? n : 0] = 0;
    for (char *p = err; *p; p++) if (*p == '\n') *p = ' ';
    report(sync_fd, "error runc %s failed (status %d): %s\n", opt_start ? "run" : "create", status, err);
    _exit(1);
  }
  char pidtext[64];
  if (read_file(opt_pid_file, pidtext, sizeof pidtext) < 0) {
    report(sync_fd, "error runc wrote no pid file\n");
    _exit(1);
  }
  pid_t init = (pid_t)atoi(pidtext);
  report(sync_fd, "ok %d\n", init);

  struct stream out = {.name = "stdout", .fd = outp[0]};
  struct stream err = {.name = "stderr", .fd = errp[0]};
  int exited = 0, init_status = 0;
  long long drain_deadline = 0;
  while (!exited || out.fd >= 0 || err.fd >= 0) {
    struct pollfd fds[3] = {{sfd, POLLIN, 0}, {out.fd, POLLIN, 0}, {err.fd, POLLIN, 0}};
    int timeout = -1;
    if (exited) {
      long long left = drain_deadline - now_ms();
      if (left <= 0) break;
      timeout = (int)left;
    }
    if (poll(fds, 3, timeout) < 0 && errno != EINTR) break;
    if (fds[1].revents) stream_pump(&out);
    if (fds[2].revents) stream_pump(&err);
    if (fds[0].revents) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) > 0) {}
      pid_t p;
      int st;
      while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
        if (p == init) {
          exited = 1;
          init_status = st;
          drain_deadline = now_ms() + DRAIN_AFTER_EXIT_MS;
        }
      }
    }
  }
  if (out.fd >= 0) stream_pump(&out);
  if (err.fd >= 0) stream_pump(&err);
  stream_flush(&out);
  stream_flush(&err);

  int code = 255, sig = 0;
  if (WIFEXITED(init_status)) code = WEXITSTATUS(init_status);
  if (WIFSIGNALED(init_status)) {
    sig = WTERMSIG(init_status);
    code = 128 + sig;
  }
  char ts[64];
  rfc3339nano(ts, sizeof ts);
  int oom = oom_killed();
  snprintf(buf, sizeof buf, "{\"exitCode\":%d,\"signal\":%d,\"finishedAt\":\"%s\",\"oomKilled\":%s}\n", code, sig,
           ts, oom ? "true" : "false");
  write_file_atomic(opt_exit, buf);
  unlink(opt_shim_pid);
  _exit(0);
}

static int run_mode(void) {
  if (!opt_runc || !opt_root || !opt_id || !opt_bundle || !opt_pid_file || !opt_log || !opt_exit || !opt_shim_pid)
    die("run needs --runc --root --id --bundle --pid-file --log --exit --shim-pid");
  int sync[2];
  if (pipe2(sync, O_CLOEXEC) != 0) die("pipe: %s", strerror(errno));
  fflush(stdout);
  pid_t first = fork();
  if (first < 0) die("fork: %s", strerror(errno));
  if (first == 0) {
    close(sync[0]);
    setsid();
    pid_t second = fork();
    if (second != 0) _exit(second < 0 ? 1 : 0);
    daemon_main(sync[1]);
  }
  close(sync[1]);
  int st;
  waitpid(first, &st, 0);
  char msg[2048];
  size_t used = 0;
  ssize_t n;
  while (used < sizeof msg - 1 && (n = read(sync[0], msg + used, sizeof msg - 1 - used)) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    used += (size_t)n;
  }
  msg[used] = 0;
  if (used == 0) die("shim daemon died before reporting");
  fputs(msg, stdout);
  return strncmp(msg, "ok ", 3) == 0 ? 0 : 1;
}

// ---- tty-exec mode -------------------------------------------------------------------

static int tty_exec_mode(int argc, char **argv) {
  if (!opt_runc || !opt_root || !opt_id || argc == 0) die("tty-exec needs --runc --root --id -- CMD...");
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) die("openpt: %s", strerror(errno));
  const char *slave_name = ptsname(master);
  struct winsize ws = {.ws_row = 24, .ws_col = 80};
  ioctl(master, TIOCSWINSZ, &ws);

  pid_t child = fork();
  if (child == 0) {
    // runc exec -t needs its stdin to be a terminal; it proxies that terminal to the
    // container's own pty and forwards SIGWINCH resizes to it.
    setsid();
    int slave = open(slave_name, O_RDWR);
    ioctl(slave, TIOCSCTTY, 0);
    dup2(slave, 0);
    dup2(slave, 1);
    dup2(slave, 2);
    if (slave > 2) close(slave);
    const char **args = calloc((size_t)argc + 64, sizeof *args);
    int i = 0;
    args[i++] = opt_runc;
    args[i++] = "--root";
    args[i++] = opt_root;
    args[i++] = "exec";
    args[i++] = "-t";
    if (opt_cwd) {
      args[i++] = "--cwd";
      args[i++] = opt_cwd;
    }
    const char *env_list = getenv("COXSHIM_EXEC_ENV");  // NUL-free, newline-separated K=V
    char *envs = env_list ? strdup(env_list) : NULL;
    for (char *tok = envs ? strtok(envs, "\n") : NULL; tok && i < 48; tok = strtok(NULL, "\n")) {
      args[i++] = "--env";
      args[i++] = tok;
    }
    args[i++] = opt_id;
    for (int k = 0; k < argc; k++) args[i++] = argv[k];
    args[i] = NULL;
    execv(opt_runc, (char *const *)args);
    _exit(127);
  }
  signal(SIGPIPE, SIG_IGN);
  set_nonblock(0);
  int ctl = fcntl(3, F_GETFD) >= 0 ? 3 : -1;
  char ctlbuf[128];
  size_t ctlused = 0;
  int in_open = 1;
  for (;;) {
    struct pollfd fds[3] = {{master, POLLIN, 0}, {in_open ? 0 : -1, POLLIN, 0}, {ctl, POLLIN, 0}};
    if (poll(fds, 3, 200) < 0 && errno != EINTR) break;
    if (fds[0].revents) {
      char buf[16384];
      ssize_t n = read(master, buf, sizeof buf);
      if (n <= 0) break;  // EIO once every slave fd is closed: runc is gone
      write_all(1, buf, (size_t)n);
    }
    if (fds[1].revents) {
      char buf[16384];
      ssize_t n = read(0, buf, sizeof buf);
      if (n > 0) write_all(master, buf, (size_t)n);
      else if (n == 0 || errno != EAGAIN) {
        in_open = 0;
        char eot = 4;  // end of input for the terminal's reader
        write_all(master, &eot, 1);
      }
    }
    if (ctl >= 0 && fds[2].revents) {
      ssize_t n = read(ctl, ctlbuf + ctlused, sizeof ctlbuf - 1 - ctlused);
      if (n <= 0) {
        ctl = -1;
      } else {
        ctlused += (size_t)n;
        ctlbuf[ctlused] = 0;
        char *nl;
        while ((nl = strchr(ctlbuf, '\n')) != NULL) {
          int rows, cols;
          if (sscanf(ctlbuf, "%d %d", &rows, &cols) == 2) {
            struct winsize w = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
            ioctl(master, TIOCSWINSZ, &w);
          }
          memmove(ctlbuf, nl + 1, strlen(nl + 1) + 1);
          ctlused = strlen(ctlbuf);
        }
        if (ctlused >= sizeof ctlbuf - 1) ctlused = 0;
      }
    }
    int st;
    if (waitpid(child, &st, WNOHANG) == child) {
      // Drain what the terminal still holds, then report runc's status (the process's).
      char buf[16384];
      ssize_t n;
      set_nonblock(master);
      while ((n = read(master, buf, sizeof buf)) > 0) write_all(1, buf, (size_t)n);
      return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
  }
  int st;
  waitpid(child, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv) {
  if (argc < 2) die("usage: coxshim run|tty-exec ...");
  const char *mode = argv[1];
  int i = 2;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (strcmp(a, "--start") == 0) {
      opt_start = 1;
      continue;
    }
    if (i + 1 >= argc) die("missing value for %s", a);
    const char *v = argv[++i];
    if (strcmp(a, "--runc") == 0) opt_runc = v;
    else if (strcmp(a, "--root") == 0) opt_root = v;
    else if (strcmp(a, "--id") == 0) opt_id = v;
    else if (strcmp(a, "--bundle") == 0) opt_bundle = v;
    else if (strcmp(a, "--pid-file") == 0) opt_pid_file = v;
    else if (strcmp(a, "--log") == 0) opt_log = v;
    else if (strcmp(a, "--log-max") == 0) opt_log_max = atoll(v);
    else if (strcmp(a, "--exit") == 0) opt_exit = v;
    else if (strcmp(a, "--shim-pid") == 0) opt_shim_pid = v;
    else if (strcmp(a, "--oom") == 0) opt_oom = v;
    else if (strcmp(a, "--runc-log") == 0) opt_runc_log = v;
    else if (strcmp(a, "--cwd") == 0) opt_cwd = v;
    else if (strcmp(a, "--stdin") == 0) opt_stdin = v;
    else die("unknown option %s", a);
  }
  if (strcmp(mode, "run") == 0) return run_mode();
  if (strcmp(mode, "tty-exec") == 0) return tty_exec_mode(argc - i, argv + i);
  die("unknown mode %s", mode);
  return 1;
}
