package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/souk-commerce/souk/bot/cli"
	"github.com/souk-commerce/souk/handlers"
)

// childEnv names the mode a re-executed soukbench runs in: "souk" runs
// `souk serve`, "reference" the stateless reference bot. The server runs in
// a child process so its CPU time and peak RSS are its own, not the load
// generator's.
const childEnv = "SOUKBENCH_CHILD"

// runChild runs the child mode named in the environment, if any, and
// reports whether it did.
func runChild() (code int, ran bool) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		return 0, false
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	switch mode {
	case "souk":
		reg := handlers.NewRegistry()
		handlers.RegisterBuiltins(reg)
		env := &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Handlers: reg}
		return cli.Run(ctx, env, []string{"serve", "--flow", os.Getenv("SOUK_FLOW"), "--addr", os.Getenv("SOUK_ADDR")}), true
	case "reference":
		if addr := os.Getenv("SOUK_DEBUG_ADDR"); addr != "" {
			go servePprof(addr)
		}
		return serveReference(ctx, os.Getenv("SOUK_ADDR"), os.Getenv("KALEYRA_BASE_URL")), true
	}
	fmt.Fprintf(os.Stderr, "soukbench: unknown %s=%q\n", childEnv, mode)
	return 2, true
}

// server is a running child process serving webhooks.
type server struct {
	cmd     *exec.Cmd
	hook    string        // the webhook URL
	log     string        // its log file
	exited  chan struct{} // closed when the process has exited
	waitErr error         // what Wait returned, once exited is closed
}

// usage is what a child process cost, read when it exited.
type usage struct {
	cpu    time.Duration // user + system
	maxRSS int64         // bytes
}

// spawn starts this program again in mode with env added, logging to
// logPath, and waits until it answers /healthz.
func spawn(mode string, env []string, logPath string) (*server, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(exe)
	cmd.Env = append(append(os.Environ(), env...), childEnv+"="+mode, "SOUK_ADDR="+addr,
		"WEBHOOK_APP_SECRET=", "WEBHOOK_TOKEN=", "SOUK_DEBUG_ADDR="+os.Getenv("SOUKBENCH_PPROF"))
	cmd.Stdout, cmd.Stderr = logf, logf
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, hook: "http://" + addr + "/webhook", log: logPath, exited: make(chan struct{})}
	go func() { s.waitErr = cmd.Wait(); close(s.exited) }()
	if err := waitHealthy("http://"+addr+"/healthz", 15*time.Second, s.exited); err != nil {
		s.stop()
		return nil, fmt.Errorf("%s server did not start: %w%s", mode, err, logTail(logPath))
	}
	return s, nil
}

// exitedEarly reports whether the process has exited before stop.
func (s *server) exitedEarly() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

// stop ends the child with SIGTERM (SIGKILL after 10s) and returns its usage.
func (s *server) stop() (usage, error) {
	hwm := vmHWM(s.cmd.Process.Pid)
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	var err error
	select {
	case <-s.exited:
		err = s.waitErr
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		err = errors.Join(errors.New("child did not stop on SIGTERM"), s.waitErr)
	}
	ru, ok := s.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return usage{}, err
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return usage{cpu: cpu, maxRSS: hwm}, err
}

// vmHWM reads a live process's peak resident set size from
// /proc/PID/status, in bytes. (The rusage of a child is no good here: Go
// starts children with vfork, so the kernel carries the parent's peak into
// the child's ru_maxrss.)
func vmHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitHealthy polls url until it answers 200, the deadline passes or the
// process serving it exits.
func waitHealthy(url string, within time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(within)
	hc := &http.Client{Timeout: time.Second}
	for {
		resp, err := hc.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no 200 from %s within %s (last error: %v)", url, within, err)
		}
		select {
		case <-exited:
			return errors.New("it exited")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// logTail is the end of a child's log, to quote in an error.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return ""
	}
	const most = 2000
	if len(b) > most {
		b = b[len(b)-most:]
	}
	return "; its log ends:\n" + strings.TrimRight(string(b), "\n")
}
