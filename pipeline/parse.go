package pipeline

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	yamlparser "github.com/goccy/go-yaml/parser"
)

// Parse parses and validates the content of a ci.yaml; filename names it in
// errors. Every problem it can place, YAML syntax included, comes back as an
// *Error at the offending key or value; it reports the first one found.
func Parse(filename string, data []byte) (*Config, error) {
	p := &parser{file: filename}
	root, err := p.document(data)
	if err != nil {
		return nil, err
	}
	return p.config(root)
}

// document parses data into the body of its one YAML document.
func (p *parser) document(data []byte) (ast.Node, error) {
	f, err := parseYAML(data)
	if err != nil {
		return nil, p.syntaxError(err)
	}
	var docs []*ast.DocumentNode
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	switch {
	case len(docs) == 0:
		return nil, &Error{File: p.file, Line: 1, Col: 1, Msg: `empty file: expected a mapping with a "pipelines" key`}
	case len(docs) > 1:
		return nil, p.errAt(docs[1].Body, `more than one yaml document: ci.yaml holds one (remove the "---" separator)`)
	}
	return docs[0].Body, nil
}

// parseYAML runs the YAML parser, turning a panic inside it into an error
// so that no input crashes the caller.
func parseYAML(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("yaml parser failed: %v", r)
		}
	}()
	return yamlparser.ParseBytes(data, 0)
}

// syntaxError places a YAML parser error at its token, on one line.
func (p *parser) syntaxError(err error) *Error {
	e := &Error{File: p.file, Line: 1, Col: 1}
	var ye yaml.Error
	if errors.As(err, &ye) {
		e.Msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			e.Line, e.Col = tk.Position.Line, tk.Position.Column
		}
	} else {
		e.Msg, _, _ = strings.Cut(err.Error(), "\n")
	}
	e.Msg = "yaml: " + strings.Join(strings.Fields(e.Msg), " ")
	return e
}

func (p *parser) config(root ast.Node) (*Config, error) {
	root, err := p.value(root)
	if err != nil {
		return nil, err
	}
	if _, ok := root.(*ast.MappingNode); !ok {
		if _, ok := root.(*ast.MappingValueNode); !ok {
			return nil, &Error{File: p.file, Line: 1, Col: 1, Msg: fmt.Sprintf(
				`ci.yaml must be a mapping with a "pipelines" key (found %s)`, describe(root))}
		}
	}
	fields, err := p.mapping(root, "top level")
	if err != nil {
		return nil, err
	}
	if err := p.checkKeys(fields, "top level", "projects", "pipelines"); err != nil {
		return nil, err
	}
	cfg := &Config{}
	if f, ok := lookup(fields, "projects"); ok {
		if cfg.Projects, err = p.projects(f); err != nil {
			return nil, err
		}
	}
	f, ok := lookup(fields, "pipelines")
	if !ok {
		return nil, &Error{File: p.file, Line: 1, Col: 1, Msg: `missing key "pipelines" (define at least pipelines.integrate)`}
	}
	if cfg.Pipelines, err = p.pipelines(f); err != nil {
		return nil, err
	}
	return cfg, nil
}

func (p *parser) projects(f field) ([]Project, error) {
	entries, err := p.mapping(f.value, "projects")
	if err != nil {
		return nil, err
	}
	var ps []Project
	for _, e := range entries {
		proj, err := p.project(e)
		if err != nil {
			return nil, err
		}
		ps = append(ps, proj)
	}
	return ps, nil
}

func (p *parser) project(e field) (Project, error) {
	path := "projects." + e.key
	if !validName(e.key) {
		return Project{}, p.errAt(e.keyN, "projects: invalid project name %q: %s", e.key, nameRule)
	}
	fields, err := p.mapping(e.value, path)
	if err != nil {
		return Project{}, err
	}
	if err := p.checkKeys(fields, path, "repo", "params"); err != nil {
		return Project{}, err
	}
	proj := Project{Name: e.key}
	if f, ok := lookup(fields, "repo"); ok {
		if proj.Repo, err = p.text(f, path); err != nil {
			return Project{}, err
		}
	}
	if f, ok := lookup(fields, "params"); ok {
		if proj.Params, err = p.params(f, path+".params"); err != nil {
			return Project{}, err
		}
	}
	return proj, nil
}

// params reads a mapping of environment variable names to scalars.
func (p *parser) params(f field, path string) (map[string]string, error) {
	fields, err := p.mapping(f.value, path)
	if err != nil || len(fields) == 0 {
		return nil, err
	}
	params := make(map[string]string, len(fields))
	for _, pf := range fields {
		if !envRE().MatchString(pf.key) {
			return nil, p.errAt(pf.keyN, "%s: invalid name %q: params are environment variables ([A-Za-z_][A-Za-z0-9_]*)", path, pf.key)
		}
		v, ok := scalar(pf.value)
		if !ok {
			return nil, p.errAt(valueOrKey(pf), `%s.%s: must be a string, number or bool (found %s; write "" for empty)`,
				path, pf.key, describe(pf.value))
		}
		params[pf.key] = v
	}
	return params, nil
}

func (p *parser) pipelines(f field) ([]*Pipeline, error) {
	entries, err := p.mapping(f.value, "pipelines")
	if err != nil {
		return nil, err
	}
	var pls []*Pipeline
	for _, e := range entries {
		pl, err := p.pipeline(e)
		if err != nil {
			return nil, err
		}
		pls = append(pls, pl)
	}
	if _, ok := lookup(entries, IntegratePipeline); !ok {
		return nil, p.errAt(f.keyN, `pipelines: no %q pipeline (git ci integrate runs it; define pipelines.%s)`,
			IntegratePipeline, IntegratePipeline)
	}
	return pls, nil
}

func (p *parser) pipeline(e field) (*Pipeline, error) {
	path := "pipelines." + e.key
	if !validName(e.key) {
		return nil, p.errAt(e.keyN, "pipelines: invalid pipeline name %q: %s", e.key, nameRule)
	}
	fields, err := p.mapping(e.value, path)
	if err != nil {
		return nil, err
	}
	if err := p.checkKeys(fields, path, "params", "stages"); err != nil {
		return nil, err
	}
	pl := &Pipeline{Name: e.key}
	if f, ok := lookup(fields, "params"); ok {
		if pl.Params, err = p.params(f, path+".params"); err != nil {
			return nil, err
		}
	}
	f, ok := lookup(fields, "stages")
	if !ok {
		return nil, p.errAt(e.keyN, `%s: missing key "stages"`, path)
	}
	if pl.Stages, err = p.stages(f, path+".stages"); err != nil {
		return nil, err
	}
	return pl, nil
}
