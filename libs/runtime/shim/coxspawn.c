// coxspawn: forks and execs commands on behalf of the node agent, so the agent's event loop
// never blocks in fork/exec. Node's spawn forks the (large) agent and waits on a pipe until the
// child has exec'ed; on a loaded node that was 60-150 ms per call. This process is small, so
// its fork is cheap, and the wait for exec is a poll event here, never a blocking read.
//
// It talks over its stdin (requests) and stdout (replies) in frames:
//   u32 payload length (LE) | u32 job id (LE) | u8 type | payload
// Requests:  'S' spawn:  u32 flags, u32 argc, u32 envc (0xffffffff: inherit), then
//                        NUL-terminated strings: cwd ("" = inherit), argv..., env...
//            'I' bytes for the job's stdin        'E' close the job's stdin
//            'K' u32 signal for the job's process group
// Replies:   'P' u32 pid, once exec succeeded     'F' i32 errno + message: spawn failed
//            'O' stdout bytes   'R' stderr bytes  'X' i32 exit code, i32 signal (after EOFs)
// Flags: 1 = new session (setsid: outlives us, e.g. QEMU's wrapper); 2 = stdin is a pipe fed
// by 'I'/'E' (else /dev/null); 4 = stdout and stderr to /dev/null (no 'O'/'R').
// Every child gets its own process group, so 'K' reaches what a `sh -c` started too.
// EOF on stdin (the agent went away): this process exits at once; running children are left
// alone (init reaps them), so a restarting agent never kills a command half-way.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define F_SETSID 1u
#define F_STDIN 2u
#define F_DISCARD 4u

struct job {
  uint32_t id;
  pid_t pid;
  int started;        // 'P' sent
  int status_known;   // reaped
  int status;
  int out, err, in, execfd;  // -1 when closed
  char *inbuf;        // pending stdin bytes
  size_t inlen, incap;
  int in_eof;         // 'E' received
};

static struct job *jobs;
static size_t njobs, capjobs;
static int input_open = 1;

static void put32(unsigned char *p, uint32_t v) {
  p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}
static uint32_t get32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        struct pollfd w = {fd, POLLOUT, 0};
        poll(&w, 1, -1);
        continue;
      }
      exit(0);  // the agent is gone
    }
    p += n;
    len -= (size_t)n;
  }
}

static void reply(uint32_t id, char type, const void *payload, size_t len) {
  unsigned char head[9];
  put32(head, (uint32_t)len);
  put32(head + 4, id);
  head[8] = (unsigned char)type;
  write_all(1, head, sizeof head);
  if (len) write_all(1, payload, len);
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static struct job *find(uint32_t id) {
  for (size_t i = 0; i < njobs; i++)
    if (jobs[i].id == id) return &jobs[i];
  return NULL;
}

static void fail(uint32_t id, int err, const char *what) {
  unsigned char buf[4 + 256];
  put32(buf, (uint32_t)err);
  int n = snprintf((char *)buf + 4, 256, "%s: %s", what, strerror(err));
  reply(id, 'F', buf, 4 + (size_t)(n < 256 ? n : 255));
}

// In the child: everything back to defaults, then exec. On failure the errno goes to execfd.
static void child(int execfd, uint32_t flags, const char *cwd, char **argv, char **envp, int in, int out, int err) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
  if (flags & F_SETSID) setsid();
  else setpgid(0, 0);
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) goto failed;
  if (*cwd && chdir(cwd) < 0) goto failed;
  if (envp) execvpe(argv[0], argv, envp);
  else execvp(argv[0], argv);
failed:;
  int e = errno;
  ssize_t ignored = write(execfd, &e, sizeof e);
  (void)ignored;
  _exit(127);
}

static void spawn_job(uint32_t id, const unsigned char *p, size_t len) {
  if (len < 12 || find(id)) { fail(id, EINVAL, "bad spawn request"); return; }
  uint32_t flags = get32(p), argc = get32(p + 4), envc = get32(p + 8);
  const char *s = (const char *)p + 12, *end = (const char *)p + len;
  int inherit = envc == 0xffffffffu;
  size_t nstr = 1 + (size_t)argc + (inherit ? 0 : envc);
  if (argc == 0 || argc > 1u << 20 || (!inherit && envc > 1u << 20) || end[-1] != '\0') { fail(id, EINVAL, "bad spawn request"); return; }
  const char **strs = calloc(nstr, sizeof *strs);
  char **argv = calloc((size_t)argc + 1, sizeof *argv);
  char **envp = inherit ? NULL : calloc((size_t)envc + 1, sizeof *envp);
  if (!strs || !argv || (!inherit && !envp)) abort();
  for (size_t i = 0; i < nstr; i++) {
    if (s >= end) { free(strs); free(argv); free(envp); fail(id, EINVAL, "bad spawn request"); return; }
    strs[i] = s;
    s += strlen(s) + 1;
  }
  for (uint32_t i = 0; i < argc; i++) argv[i] = (char *)strs[1 + i];
  if (envp) for (uint32_t i = 0; i < envc; i++) envp[i] = (char *)strs[1 + argc + i];

  int inp[2] = {-1, -1}, outp[2] = {-1, -1}, errp[2] = {-1, -1}, execp[2] = {-1, -1};
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  int ok = devnull >= 0 && pipe2(execp, O_CLOEXEC) == 0 && (!(flags & F_STDIN) || pipe2(inp, O_CLOEXEC) == 0) &&
           ((flags & F_DISCARD) || (pipe2(outp, O_CLOEXEC) == 0 && pipe2(errp, O_CLOEXEC) == 0));
  pid_t pid = ok ? fork() : -1;
  if (pid == 0)
    child(execp[1], flags, strs[0], argv, envp, (flags & F_STDIN) ? inp[0] : devnull,
          (flags & F_DISCARD) ? devnull : outp[1], (flags & F_DISCARD) ? devnull : errp[1]);
  int e = errno;
  free(strs); free(argv); free(envp);
  close_fd(&devnull); close_fd(&inp[0]); close_fd(&outp[1]); close_fd(&errp[1]); close_fd(&execp[1]);
  if (pid < 0) {
    close_fd(&inp[1]); close_fd(&outp[0]); close_fd(&errp[0]); close_fd(&execp[0]);
    fail(id, e, ok ? "fork" : "pipe");
    return;
  }
  if (njobs == capjobs) {
    capjobs = capjobs ? capjobs * 2 : 16;
    jobs = realloc(jobs, capjobs * sizeof *jobs);
    if (!jobs) abort();
  }
  if (inp[1] >= 0) fcntl(inp[1], F_SETFL, O_NONBLOCK);
  jobs[njobs++] = (struct job){.id = id, .pid = pid, .out = outp[0], .err = errp[0], .in = inp[1], .execfd = execp[0]};
}

static void feed(struct job *j, const unsigned char *p, size_t len) {
  if (j->in < 0) return;
  if (j->inlen + len > j->incap) {
    j->incap = (j->inlen + len) * 2;
    j->inbuf = realloc(j->inbuf, j->incap);
    if (!j->inbuf) abort();
  }
  memcpy(j->inbuf + j->inlen, p, len);
  j->inlen += len;
}

static void flush_stdin(struct job *j) {
  while (j->in >= 0 && j->inlen > 0) {
    ssize_t n = write(j->in, j->inbuf, j->inlen);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      j->inlen = 0;  // EPIPE: the child does not read its input
      close_fd(&j->in);
      return;
    }
    memmove(j->inbuf, j->inbuf + n, j->inlen - (size_t)n);
    j->inlen -= (size_t)n;
  }
  if (j->in >= 0 && j->in_eof && j->inlen == 0) close_fd(&j->in);
}

static void request(uint32_t id, char type, const unsigned char *p, size_t len) {
  struct job *j;
  switch (type) {
    case 'S': spawn_job(id, p, len); break;
    case 'I': if ((j = find(id))) { feed(j, p, len); flush_stdin(j); } break;
    case 'E': if ((j = find(id))) { j->in_eof = 1; flush_stdin(j); } break;
    case 'K':
      if ((j = find(id)) && !j->status_known && len >= 4 && kill(-j->pid, (int)get32(p)) < 0) kill(j->pid, (int)get32(p));
      break;
  }
}

static unsigned char *rbuf;
static size_t rlen, rcap;

static void read_requests(void) {
  if (rcap - rlen < 65536) {
    rcap = rcap ? rcap * 2 : 1 << 17;
    rbuf = realloc(rbuf, rcap);
    if (!rbuf) abort();
  }
  ssize_t n = read(0, rbuf + rlen, rcap - rlen);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) { input_open = 0; return; }
  rlen += (size_t)n;
  size_t off = 0;
  while (rlen - off >= 9) {
    uint32_t len = get32(rbuf + off);
    if (rlen - off < 9 + (size_t)len) break;
    request(get32(rbuf + off + 4), (char)rbuf[off + 8], rbuf + off + 9, len);
    off += 9 + (size_t)len;
  }
  memmove(rbuf, rbuf + off, rlen - off);
  rlen -= off;
}

static void drain(struct job *j, int *fd, char type) {
  char buf[65536];
  ssize_t n = read(*fd, buf, sizeof buf);
  if (n > 0) reply(j->id, type, buf, (size_t)n);
  else if (n == 0 || (errno != EINTR && errno != EAGAIN)) close_fd(fd);
}

static void exec_result(struct job *j) {
  int e;
  ssize_t n = read(j->execfd, &e, sizeof e);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  close_fd(&j->execfd);
  if (n == (ssize_t)sizeof e) {
    j->started = -1;  // exec failed: 'F' instead of 'P' and 'X'
    fail(j->id, e, "exec");
  } else {
    unsigned char p[4];
    put32(p, (uint32_t)j->pid);
    j->started = 1;
    reply(j->id, 'P', p, 4);
  }
}

static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
    for (size_t i = 0; i < njobs; i++)
      if (jobs[i].pid == pid) { jobs[i].status_known = 1; jobs[i].status = status; }
}

// Finished jobs (reaped, exec result read, output at EOF) are reported and dropped.
static void retire(void) {
  for (size_t i = 0; i < njobs;) {
    struct job *j = &jobs[i];
    if (!(j->status_known && j->execfd < 0 && j->out < 0 && j->err < 0)) { i++; continue; }
    if (j->started == 1) {
      unsigned char p[8];
      put32(p, WIFEXITED(j->status) ? (uint32_t)WEXITSTATUS(j->status) : (uint32_t)-1);
      put32(p + 4, WIFSIGNALED(j->status) ? (uint32_t)WTERMSIG(j->status) : 0);
      reply(j->id, 'X', p, 8);
    }
    close_fd(&j->in);
    free(j->inbuf);
    jobs[i] = jobs[--njobs];
  }
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0) return 1;
  fcntl(0, F_SETFD, FD_CLOEXEC);
  fcntl(1, F_SETFD, FD_CLOEXEC);
  struct pollfd *fds = NULL;
  struct { struct job *j; int which; } *who = NULL;  // which: 0 out, 1 err, 2 in, 3 exec
  size_t cap = 0;
  while (input_open) {
    size_t need = 2 + njobs * 4;
    if (need > cap) {
      cap = need * 2;
      fds = realloc(fds, cap * sizeof *fds);
      who = realloc(who, cap * sizeof *who);
      if (!fds || !who) abort();
    }
    size_t n = 0;
    fds[n++] = (struct pollfd){sfd, POLLIN, 0};
    if (input_open) fds[n++] = (struct pollfd){0, POLLIN, 0};
    for (size_t i = 0; i < njobs; i++) {
      struct job *j = &jobs[i];
      int w[4] = {j->out, j->err, j->inlen ? j->in : -1, j->execfd};
      for (int k = 0; k < 4; k++) {
        if (w[k] < 0) continue;
        who[n].j = j;
        who[n].which = k;
        fds[n++] = (struct pollfd){w[k], k == 2 ? POLLOUT : POLLIN, 0};
      }
    }
    if (poll(fds, n, -1) < 0 && errno != EINTR) return 1;
    size_t first = input_open ? 2 : 1;
    // Job events first: reading requests may grow (move) the job table.
    for (size_t i = first; i < n; i++) {
      if (!fds[i].revents) continue;
      struct job *j = who[i].j;
      switch (who[i].which) {
        case 0: drain(j, &j->out, 'O'); break;
        case 1: drain(j, &j->err, 'R'); break;
        case 2: flush_stdin(j); break;
        case 3: exec_result(j); break;
      }
    }
    if (fds[0].revents) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) > 0) {}
      reap();
    }
    if (input_open && fds[1].revents) read_requests();
    retire();
  }
  return 0;
}
