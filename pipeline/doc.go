// Package pipeline owns the ci.yaml model: strict parsing with file:line:col
// errors, validation, planning of runs, the default pipeline `git ci init`
// writes, and the run record format stored in notes.
package pipeline
