package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel end the child with SIGTERM should the
// benchmark itself be killed, so that no server outlives it, and puts the
// child in a process group of its own, so that a terminal's Ctrl-C
// reaches only the benchmark, which then stops the child itself.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM, Setpgid: true}
}
