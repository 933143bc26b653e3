package gitstore

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/git-ci/git-ci/gitstore/internal/rawfile"
)

// gitConfig is the repository's git config read in process, as git reads
// it: system, global, local and worktree files, later values winning. It
// exists to spare the commands that write results a git process or two
// (identity, ref updates); ok is false whenever git could read something
// this reader would not (an include, config from the environment, a line
// it cannot parse), and callers then ask git.
type gitConfig struct {
	ok     bool
	values map[string][]string // "section.subsection.key", section and key lower case
	read   []fileStamp         // the files read, to notice a change
}

// fileStamp is what a file was when it was read: nil info when missing.
type fileStamp struct {
	path string
	info fs.FileInfo
}

// changed reports whether the file is no longer as stamped. git writes
// config through a lock file renamed into place: a new inode each time.
func (s fileStamp) changed() bool {
	info, err := os.Stat(s.path)
	if err != nil || s.info == nil {
		return (err == nil) != (s.info != nil)
	}
	return !os.SameFile(info, s.info) || info.Size() != s.info.Size() || !info.ModTime().Equal(s.info.ModTime())
}

// noValue is the value of a key written without "=": true as a boolean,
// an error as a string (git's "missing value").
const noValue = "\x00"

// get returns the last value of key (lower-case section and name), and
// whether it is set.
func (c gitConfig) get(key string) (string, bool) {
	vs := c.values[key]
	if len(vs) == 0 {
		return "", false
	}
	return vs[len(vs)-1], true
}

// config reads the repository's git config, again when a file of it
// changed or git-ci changed it.
func (r *Repo) config() gitConfig {
	r.configMu.Lock()
	defer r.configMu.Unlock()
	if r.configRead == nil || slices.ContainsFunc(r.configRead.read, fileStamp.changed) {
		files, ok := r.configFiles()
		c := readGitConfig(files, ok, func(repoConfig []byte) {
			// The ref storage is decided by this file alone: read once.
			r.refStorageOnce.Do(func() { r.refFiles = refsAsFiles(repoConfig) })
		})
		r.configRead = &c
	}
	return *r.configRead
}

// forgetConfig makes the next config() read the files again.
func (r *Repo) forgetConfig() {
	r.configMu.Lock()
	r.configRead = nil
	r.configMu.Unlock()
}

// configName is key as gitConfig stores it: section and name in lower
// case, a subsection as it is; ok is false for a key git would refuse.
func configName(key string) (string, bool) {
	first, last := strings.IndexByte(key, '.'), strings.LastIndexByte(key, '.')
	if first <= 0 || last == len(key)-1 {
		return "", false
	}
	return strings.ToLower(key[:first]) + key[first:last] + "." + strings.ToLower(key[last+1:]), true
}

// configFile is one file git reads config from.
type configFile struct {
	path     string
	repo     bool // the repository's own: unreadable is an error, as for git
	worktree bool // read only under extensions.worktreeConfig
}

// configFiles lists the files git reads, in its order; ok is false when
// git also reads config this reader does not follow (git -c and friends,
// an empty GIT_CONFIG_GLOBAL).
func (r *Repo) configFiles() (files []configFile, ok bool) {
	if os.Getenv("GIT_CONFIG_PARAMETERS") != "" || os.Getenv("GIT_CONFIG_COUNT") != "" {
		return nil, false
	}
	if !envBool("GIT_CONFIG_NOSYSTEM") {
		files = append(files, configFile{path: envOr("GIT_CONFIG_SYSTEM", systemConfig())})
	}
	if g, set := os.LookupEnv("GIT_CONFIG_GLOBAL"); set {
		if g == "" {
			return nil, false
		}
		files = append(files, configFile{path: g})
	} else {
		home := os.Getenv("HOME")
		xdg := os.Getenv("XDG_CONFIG_HOME")
		if xdg == "" && home != "" {
			xdg = filepath.Join(home, ".config")
		}
		if xdg != "" {
			files = append(files, configFile{path: filepath.Join(xdg, "git", "config")})
		}
		if home != "" {
			files = append(files, configFile{path: filepath.Join(home, ".gitconfig")})
		}
	}
	return append(files,
		configFile{path: filepath.Join(r.CommonDir, "config"), repo: true},
		configFile{path: filepath.Join(r.GitDir, "config.worktree"), repo: true, worktree: true}), true
}

// readGitConfig reads files, passing the content of the repository's
// own config file to repoConfig when it is read.
func readGitConfig(files []configFile, ok bool, repoConfig func([]byte)) gitConfig {
	if !ok {
		return gitConfig{}
	}
	c := gitConfig{ok: true, values: map[string][]string{}}
	for _, f := range files {
		// Known once the files before it are read.
		if f.worktree && !isTrue(c.get("extensions.worktreeconfig")) {
			break
		}
		info, err := os.Stat(f.path)
		c.read = append(c.read, fileStamp{f.path, info})
		if errors.Is(err, fs.ErrNotExist) {
			continue // missing: not opened too (two system calls per file and command)
		}
		b, err := rawfile.ReadFile(f.path)
		if f.repo && !f.worktree && repoConfig != nil && err == nil {
			repoConfig(b)
		}
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) && !f.repo {
			continue // git skips missing files, and unreadable ones outside the repository
		}
		if err != nil || !parseGitConfig(string(b), c.values) {
			return gitConfig{}
		}
	}
	return c
}

// systemConfig is where the git on PATH keeps its system config: git's
// Makefile puts it in $(prefix)/etc, and in /etc for prefix /usr.
func systemConfig() string {
	git, err := exec.LookPath("git")
	if err == nil {
		git, err = filepath.EvalSymlinks(git)
	}
	prefix := filepath.Dir(filepath.Dir(git))
	if err != nil || prefix == "/usr" || prefix == "/" {
		return "/etc/gitconfig"
	}
	return filepath.Join(prefix, "etc", "gitconfig")
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envBool(name string) bool {
	v, set := os.LookupEnv(name)
	return isTrue(v, set)
}

// isTrue is git's boolean: true, yes, on, 1, or a key without a value.
func isTrue(v string, set bool) bool {
	if !set {
		return false
	}
	switch strings.ToLower(v) {
	case noValue, "true", "yes", "on", "1":
		return true
	}
	return false
}

// parseGitConfig adds the entries of one config file to values, with the
// rules of git's config.c; false when the file has a line it cannot
// read or includes another file.
func parseGitConfig(text string, values map[string][]string) bool {
	section := ""
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		line = strings.TrimLeft(line, " \t\r")
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			var rest string
			var ok bool
			section, rest, ok = parseSection(line)
			if !ok {
				return false
			}
			if name, _, _ := strings.Cut(section, "."); name == "include" || name == "includeif" {
				return false
			}
			line = strings.TrimLeft(rest, " \t\r")
			if line == "" || line[0] == '#' || line[0] == ';' {
				continue
			}
		}
		n := 0
		for n < len(line) && (isAlnum(line[n]) || n > 0 && line[n] == '-') {
			n++
		}
		if n == 0 || section == "" || !isAlpha(line[0]) {
			return false // git reads a key before any section; this reader leaves it to git
		}
		key := section + "." + strings.ToLower(line[:n])
		rest := strings.TrimLeft(line[n:], " \t\r")
		if rest == "" {
			values[key] = append(values[key], noValue)
			continue
		}
		if rest[0] != '=' {
			return false
		}
		var value string
		var ok bool
		value, text, ok = parseValue(rest[1:], text)
		if !ok {
			return false
		}
		values[key] = append(values[key], value)
	}
	return true
}

// parseSection reads "[name]", "[name "sub"]" or the old "[name.sub]"
// and returns "name" or "name.sub" and the rest of the line.
func parseSection(line string) (string, string, bool) {
	i := 1
	for i < len(line) && (isAlnum(line[i]) || line[i] == '-' || line[i] == '.') {
		i++
	}
	name := strings.ToLower(line[1:i])
	if name == "" || i == len(line) {
		return "", "", false
	}
	if line[i] == ']' {
		return name, line[i+1:], true
	}
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if i == len(line) || line[i] != '"' {
		return "", "", false
	}
	// The subsection, quoted, may hold ']', and '"' and '\\' escaped.
	var sub strings.Builder
	for i++; i < len(line) && line[i] != '"'; i++ {
		if line[i] == '\\' && i+1 < len(line) {
			i++
		}
		sub.WriteByte(line[i])
	}
	if i+1 >= len(line) || line[i+1] != ']' {
		return "", "", false
	}
	return name + "." + sub.String(), line[i+2:], true
}

// parseValue reads a value from after its '=' (s, the rest of its line;
// more, the lines after it, for continuations) as git does: quotes group,
// backslash escapes, comments end it, runs of blanks outside quotes are
// kept as one space per blank between words and dropped at the ends.
func parseValue(s, more string) (string, string, bool) {
	var b strings.Builder
	quote, space := false, 0
	for {
		i := 0
		for ; i < len(s); i++ {
			c := s[i]
			if c == '\r' && i == len(s)-1 {
				break
			}
			if !quote && (c == ' ' || c == '\t') {
				if b.Len() > 0 {
					space++
				}
				continue
			}
			if !quote && (c == '#' || c == ';') {
				return b.String(), more, true
			}
			for ; space > 0; space-- {
				b.WriteByte(' ')
			}
			switch c {
			case '"':
				quote = !quote
				continue
			case '\\':
				i++
				if i == len(s) || s[i] == '\r' && i == len(s)-1 {
					goto continued
				}
				switch s[i] {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				case 'b':
					b.WriteByte('\b')
				case '\\', '"':
					b.WriteByte(s[i])
				default:
					return "", "", false
				}
				continue
			}
			b.WriteByte(c)
		}
		if quote {
			return "", "", false
		}
		return b.String(), more, true
	continued:
		if more == "" {
			return b.String(), more, true
		}
		s = more
		if j := strings.IndexByte(more, '\n'); j >= 0 {
			s, more = more[:j], more[j+1:]
		} else {
			more = ""
		}
	}
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isAlnum(c byte) bool { return isAlpha(c) || '0' <= c && c <= '9' }
