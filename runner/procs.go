package runner

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// killPasses bounds how often killRunProcesses looks again for processes
// forked while it was killing.
const killPasses = 5

// killRunProcesses kills with SIGKILL every process of this machine whose
// environment holds GIT_CI_RUN=run: what the steps of a run left running
// when their git-ci died and could not stop their process groups. Run ids
// are unique, so nothing else matches. It reads /proc; where there is none
// it finds nothing.
func killRunProcesses(run string) {
	entry := []byte("\x00GIT_CI_RUN=" + run + "\x00")
	for range killPasses {
		pids := processesWithEnv(entry)
		if len(pids) == 0 {
			return
		}
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// processesWithEnv lists the processes, other than this one, whose
// environment holds entry ("\x00NAME=VALUE\x00").
func processesWithEnv(entry []byte) []int {
	dirs, _ := os.ReadDir("/proc")
	var pids []int
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", d.Name(), "environ"))
		if err == nil && bytes.Contains(append([]byte{0}, env...), entry) {
			pids = append(pids, pid)
		}
	}
	return pids
}
