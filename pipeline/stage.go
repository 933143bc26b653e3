package pipeline

import (
	"fmt"
	"time"

	"github.com/goccy/go-yaml/ast"
)

func (p *parser) stages(f field, path string) ([]Stage, error) {
	nodes, err := p.sequence(f.value, path)
	if err != nil {
		return nil, err
	}
	if len(nodes) == 0 {
		return nil, p.errAt(valueOrKey(f), "%s: empty list (a pipeline needs at least one stage)", path)
	}
	seen := map[string]int{} // stage name -> line
	stages := make([]Stage, 0, len(nodes))
	for i, n := range nodes {
		st, nameN, err := p.stage(n, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return nil, err
		}
		if err := p.unique(seen, st.Name, nameN, fmt.Sprintf("%s[%d]", path, i), "stage"); err != nil {
			return nil, err
		}
		stages = append(stages, st)
	}
	return stages, nil
}

// unique records name at its node's line, or refuses a name seen before.
func (p *parser) unique(seen map[string]int, name string, n ast.Node, path, kind string) error {
	if first, dup := seen[name]; dup {
		return p.errAt(n, "%s: duplicate %s name %q (first on line %d)", path, kind, name, first)
	}
	seen[name], _ = position(n)
	return nil
}

// stage reads one entry of a stages list, and returns the node of its name.
func (p *parser) stage(n ast.Node, path string) (Stage, ast.Node, error) {
	fields, err := p.entry(n, path)
	if err != nil {
		return Stage{}, nil, err
	}
	label := where(path, rawName(fields))
	if err := p.checkKeys(fields, label, "name", "steps", "run", "timeout"); err != nil {
		return Stage{}, nil, err
	}
	name, nameN, err := p.name(n, fields, path)
	if err != nil {
		return Stage{}, nil, err
	}
	steps, hasSteps := lookup(fields, "steps")
	run, hasRun := lookup(fields, "run")
	timeout, hasTimeout := lookup(fields, "timeout")
	switch {
	case hasSteps && hasRun:
		return Stage{}, nil, p.errAt(run.keyN, `%s: "steps" and "run" together (run is shorthand for a stage of one step; use one)`, label)
	case !hasSteps && !hasRun:
		return Stage{}, nil, p.errAt(n, `%s: empty stage (give it "steps", or "run" for a single step)`, label)
	case hasSteps && hasTimeout:
		return Stage{}, nil, p.errAt(timeout.keyN, `%s: "timeout" goes on each step (a stage-level timeout is only allowed with "run")`, label)
	case hasRun:
		step, err := p.stepFields(n, fields, label, name)
		return Stage{Name: name, Steps: []Step{step}}, nameN, err
	}
	list, err := p.steps(steps, path+".steps")
	return Stage{Name: name, Steps: list}, nameN, err
}

func (p *parser) steps(f field, path string) ([]Step, error) {
	nodes, err := p.sequence(f.value, path)
	if err != nil {
		return nil, err
	}
	if len(nodes) == 0 {
		return nil, p.errAt(valueOrKey(f), "%s: empty list (a stage needs at least one step)", path)
	}
	seen := map[string]int{} // step name -> line
	steps := make([]Step, 0, len(nodes))
	for i, n := range nodes {
		ipath := fmt.Sprintf("%s[%d]", path, i)
		fields, err := p.entry(n, ipath)
		if err != nil {
			return nil, err
		}
		label := where(ipath, rawName(fields))
		if err := p.checkKeys(fields, label, "name", "run", "timeout"); err != nil {
			return nil, err
		}
		name, nameN, err := p.name(n, fields, ipath)
		if err != nil {
			return nil, err
		}
		if err := p.unique(seen, name, nameN, label, "step"); err != nil {
			return nil, err
		}
		step, err := p.stepFields(n, fields, label, name)
		if err != nil {
			return nil, err
		}
		steps = append(steps, step)
	}
	return steps, nil
}

// entry reads a list entry that must be a non-empty mapping.
func (p *parser) entry(n ast.Node, path string) ([]field, error) {
	if isNull(n) {
		return nil, p.errAt(n, `%s: empty entry (expected a mapping with "name")`, path)
	}
	return p.mapping(n, path)
}

// rawName is the name a stage or step claims, to label errors before the
// name itself is checked.
func rawName(fields []field) string {
	f, _ := lookup(fields, "name")
	s, _ := scalar(f.value)
	return s
}

// name reads the required "name" of a stage or step.
func (p *parser) name(n ast.Node, fields []field, path string) (string, ast.Node, error) {
	f, ok := lookup(fields, "name")
	if !ok {
		return "", nil, p.errAt(n, `%s: missing key "name"`, path)
	}
	name, err := p.text(f, path)
	if err != nil {
		return "", nil, err
	}
	if !validName(name) {
		return "", nil, p.errAt(f.value, "%s: invalid name %q: %s", path, name, nameRule)
	}
	return name, f.value, nil
}

// stepFields reads "run" and "timeout" from a step, or a shorthand stage.
func (p *parser) stepFields(n ast.Node, fields []field, label, name string) (Step, error) {
	step := Step{Name: name}
	f, ok := lookup(fields, "run")
	if !ok {
		return Step{}, p.errAt(n, `%s: missing key "run"`, label)
	}
	var err error
	if step.Run, err = p.text(f, label); err != nil {
		return Step{}, err
	}
	if f, ok := lookup(fields, "timeout"); ok {
		if step.Timeout, err = p.timeout(f, label); err != nil {
			return Step{}, err
		}
	}
	return step, nil
}

func (p *parser) timeout(f field, label string) (time.Duration, error) {
	s, ok := scalar(f.value)
	if !ok {
		return 0, p.errAt(valueOrKey(f), `%s: timeout must be a duration such as 90s, 10m or 1h30m (found %s)`, label, describe(f.value))
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, p.errAt(valueOrKey(f), `%s: timeout %q is not a duration (write e.g. 90s, 10m or 1h30m)`, label, s)
	}
	if d <= 0 {
		return 0, p.errAt(f.value, `%s: timeout %q must be positive (leave it out for none)`, label, s)
	}
	return d, nil
}
