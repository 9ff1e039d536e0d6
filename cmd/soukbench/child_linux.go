package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel end the child with SIGTERM should the
// benchmark itself be killed, so that no server outlives it.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
