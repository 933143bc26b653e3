// Package htmlgen will render the static site from run records (issue 5);
// it is pure: records in, files out through a billy.Filesystem. Empty until
// then, kept so the layout matches the design's contract.
package htmlgen
