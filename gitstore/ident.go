package gitstore

import (
	"os"
	"strings"

	"github.com/git-ci/git-ci/gitstore/odb"
)

// configIdent is git's committer identity (ident.c's fmt_ident) from the
// environment and config read in process; ok is false where git would
// look further (the password file, the host name, a date to parse), and
// the caller asks git.
func configIdent(c gitConfig) (sig signature, ok bool) {
	if !c.ok {
		return sig, false
	}
	if date := os.Getenv("GIT_COMMITTER_DATE"); date != "" {
		// Only git's own "SECONDS +HHMM" here; git parses the other forms.
		d, err := odb.ParseSignature("<> " + strings.TrimPrefix(date, "@"))
		if err != nil || d.When.IsZero() {
			return sig, false
		}
		sig.When = d.When
	}
	name, ok := firstSet(c, "GIT_COMMITTER_NAME", "committer.name", "user.name")
	if !ok {
		return sig, false
	}
	email, ok := firstSet(c, "GIT_COMMITTER_EMAIL", "committer.email", "user.email", "EMAIL")
	if !ok {
		return sig, false
	}
	sig.Name, sig.Email = withoutCrud(name), withoutCrud(email)
	return sig, sig.Name != ""
}

// firstSet returns the first of the environment variables (upper case)
// and config keys that is set.
func firstSet(c gitConfig, sources ...string) (string, bool) {
	for _, s := range sources {
		var v string
		var set bool
		if strings.ToUpper(s) == s {
			v, set = os.LookupEnv(s)
		} else {
			v, set = c.get(s)
		}
		if set {
			return v, v != noValue && v != "" // empty: git looks further or fails
		}
	}
	return "", false
}

// withoutCrud is git's strbuf_addstr_without_crud: s without the blanks
// and punctuation around it, and without newlines and angle brackets.
func withoutCrud(s string) string {
	crud := func(c byte) bool {
		return c <= ' ' || strings.IndexByte(".,:;<>\"\\'", c) >= 0
	}
	i, j := 0, len(s)
	for i < j && crud(s[i]) {
		i++
	}
	for j > i && crud(s[j-1]) {
		j--
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '<' || r == '>' {
			return -1
		}
		return r
	}, s[i:j])
}
