// Package htmlgen renders git-ci's static site from run records: the
// pipeline, the commit flow, statistics, a section per run (64 runs to a
// file, see runfiles.go) and per branch. It is pure: a Site value in, files
// out through a billy.Filesystem; it runs no processes and touches no file
// of its own. Every text that comes from a repository is escaped by
// html/template (run pages and table rows: by esc, which escapes as
// html/template does), and every file name derived from such text is a
// hash of it. See docs/site.md.
package htmlgen
