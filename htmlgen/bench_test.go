package htmlgen

import (
	"io"
	"testing"
)

// BenchmarkRunPage renders the fixture's failed run page (a long log, a
// diff) and its passed one.
func BenchmarkRunPage(b *testing.B) {
	s := fixture()
	m := newModel(s)
	for _, i := range []int{2, 3} {
		r := &s.Runs[i]
		d, _ := s.Details.RunDetail(r)
		w := &writer{out: Output{FS: nil}}
		_ = w
		page := runPage{Page: m.page("x", "", "../"), R: r, HasDetails: true}
		for k, st := range r.Steps {
			rs := runStep{StepResult: st, ID: "step-" + string(rune('0'+k))}
			if log, ok := d.Logs[st.Stage+"/"+st.Step]; ok {
				v := renderLog(log)
				rs.Log = &v
			}
			page.Steps = append(page.Steps, rs)
		}
		page.Diff = parseDiff(d.Diff)
		b.Run(r.Status, func(b *testing.B) {
			for b.Loop() {
				if err := templates.ExecuteTemplate(io.Discard, "run", page); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
