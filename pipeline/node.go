package pipeline

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/goccy/go-yaml/ast"
)

// parser walks a ci.yaml syntax tree; every error it returns is an *Error
// placed at the node at fault.
type parser struct {
	file string
}

// field is one key: value pair of a mapping, with the nodes for positions.
type field struct {
	key   string
	keyN  ast.Node
	value ast.Node // never an anchor or a tag; nil for an absent value
}

func (p *parser) errAt(n ast.Node, format string, args ...any) *Error {
	line, col := position(n)
	return &Error{File: p.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// position is where n starts: a block mapping starts at its first key.
func position(n ast.Node) (line, col int) {
	switch v := n.(type) {
	case nil:
		return 1, 1
	case *ast.MappingNode:
		if !v.IsFlowStyle && len(v.Values) > 0 {
			return position(v.Values[0])
		}
	case *ast.MappingValueNode:
		if v.Key != nil {
			return position(v.Key)
		}
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return 1, 1
	}
	return tk.Position.Line, tk.Position.Column
}

// value strips tags and anchors from n; aliases are refused so that every
// value has one place in the file.
func (p *parser) value(n ast.Node) (ast.Node, error) {
	for {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			n = v.Value
		case *ast.AliasNode:
			return nil, p.errAt(v, "yaml aliases (*name) are not supported: write the value out")
		default:
			return n, nil
		}
	}
}

// isNull reports whether n is an empty or null value, or a list entry
// holding one.
func isNull(n ast.Node) bool {
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return true
	case *ast.SequenceEntryNode:
		return isNull(v.Value)
	}
	return false
}

// mapping returns the fields of the mapping n in file order; a null n is an
// empty mapping.
func (p *parser) mapping(n ast.Node, where string) ([]field, error) {
	n, err := p.value(n)
	if err != nil || isNull(n) {
		return nil, err
	}
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		return nil, p.errAt(n, "%s: must be a mapping (found %s)", where, describe(n))
	}
	fields := make([]field, 0, len(values))
	for _, mv := range values {
		k, err := p.key(mv.Key, where)
		if err != nil {
			return nil, err
		}
		v, err := p.value(mv.Value)
		if err != nil {
			return nil, err
		}
		fields = append(fields, field{key: k, keyN: mv.Key, value: v})
	}
	return fields, nil
}

func (p *parser) key(n ast.Node, where string) (string, error) {
	n, err := p.value(n)
	if err != nil {
		return "", err
	}
	if s, ok := scalar(n); ok {
		return s, nil
	}
	return "", p.errAt(n, "%s: a key must be a plain string (found %s)", where, describe(n))
}

// sequence returns the entries of the list n; a null n is an empty list.
func (p *parser) sequence(n ast.Node, where string) ([]ast.Node, error) {
	if isNull(n) {
		return nil, nil
	}
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		return nil, p.errAt(n, "%s: must be a list (found %s)", where, describe(n))
	}
	vals := make([]ast.Node, len(s.Values))
	for i, v := range s.Values {
		v, err := p.value(v)
		if err != nil {
			return nil, err
		}
		if isNull(v) && i < len(s.Entries) && s.Entries[i] != nil {
			v = s.Entries[i] // places the error at its "-"
		}
		vals[i] = v
	}
	return vals, nil
}

// scalar returns a string, number or bool as written in the file.
func scalar(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		if v.Value == nil {
			return "", true
		}
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		if tk := v.GetToken(); tk != nil {
			return tk.Value, true
		}
	}
	return "", false
}

// text returns the string value of f; null and empty are errors.
func (p *parser) text(f field, where string) (string, error) {
	s, ok := scalar(f.value)
	if !ok && !isNull(f.value) {
		return "", p.errAt(f.value, "%s: %q must be a string (found %s)", where, f.key, describe(f.value))
	}
	if s == "" {
		return "", p.errAt(valueOrKey(f), "%s: empty %q", where, f.key)
	}
	return s, nil
}

// valueOrKey is the node to blame for f's value: the key when it has none.
func valueOrKey(f field) ast.Node {
	if isNull(f.value) {
		return f.keyN
	}
	return f.value
}

func describe(n ast.Node) string {
	switch n.(type) {
	case nil, *ast.NullNode:
		return "null"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode, *ast.LiteralNode:
		return "a string"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number"
	case *ast.BoolNode:
		return "a bool"
	}
	return strings.ToLower(n.Type().String())
}

// checkKeys refuses the first key of fields that is not allowed.
func (p *parser) checkKeys(fields []field, where string, allowed ...string) error {
	for _, f := range fields {
		if !contains(allowed, f.key) {
			return p.errAt(f.keyN, "%s: unknown key %q%s", where, f.key, suggest(f.key, allowed))
		}
	}
	return nil
}

// lookup returns the field called key, if any.
func lookup(fields []field, key string) (field, bool) {
	for _, f := range fields {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// synonyms are keys people bring from other CI systems.
var synonyms = map[string]string{
	"command": "run", "cmd": "run", "script": "run", "sh": "run", "shell": "run", "exec": "run",
	"env": "params", "environment": "params", "vars": "params", "variables": "params",
	"stage": "stages", "step": "steps", "jobs": "stages", "pipeline": "pipelines", "project": "projects",
	"url": "repo", "repository": "repo", "path": "repo", "id": "name", "title": "name",
}

// suggest returns ` (did you mean "x"?)` for a near miss of an allowed key.
func suggest(key string, allowed []string) string {
	if s, ok := synonyms[strings.ToLower(key)]; ok && contains(allowed, s) {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	best, bestD := "", 3
	for _, a := range allowed {
		d := distance(strings.ToLower(key), a)
		if d < bestD && (d <= 1 || len(a) > 4) {
			best, bestD = a, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// distance is the edit distance between a and b, counting a swap of two
// neighbours as one edit.
func distance(a, b string) int {
	prev2, prev := []int(nil), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev = prev, cur
	}
	return prev[len(b)]
}

var nameRE = lazyRegexp(`^[A-Za-z0-9_][A-Za-z0-9._-]*$`)

// validName reports whether s can be a path component and a git ref
// component: letters, digits, ".", "_", "-", not starting with "." or "-",
// no "..", not ending in "." or ".lock".
func validName(s string) bool {
	return nameRE().MatchString(s) && !strings.Contains(s, "..") &&
		!strings.HasSuffix(s, ".") && !strings.HasSuffix(s, ".lock")
}

const nameRule = `use letters, digits, ".", "_" and "-", not starting with "." or "-"`

var envRE = lazyRegexp(`^[A-Za-z_][A-Za-z0-9_]*$`)

// where labels a path with the name of the entity it holds, if known.
func where(path, name string) string {
	if name == "" {
		return path
	}
	return fmt.Sprintf("%s (%q)", path, name)
}

// lazyRegexp compiles expr on first use, not at every command's start.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
