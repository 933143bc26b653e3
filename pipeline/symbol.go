package pipeline

// Symbol marks a status by shape as well as by word or colour, for people
// who cannot tell the colours apart: ✓ passed, ✗ failed, - skipped,
// ⊘ cancelled, ! error, and · for a step that did not run ("") or a status
// this version does not know.
func Symbol(status string) string {
	switch status {
	case StatusPassed:
		return "✓"
	case StatusFailed:
		return "✗"
	case StatusSkipped:
		return "-"
	case StatusCancelled:
		return "⊘"
	case StatusError:
		return "!"
	}
	return "·"
}
