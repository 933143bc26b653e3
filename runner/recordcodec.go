package runner

import (
	"github.com/git-ci/git-ci/pipeline"
	"github.com/go-git/go-git/v5/plumbing"
)

// records.bin, after the version line (cachecodec.go has the framing):
//
//	words:  count, then each string: the table of repeated strings
//	notes:  count, records in all, steps in all; then per note its blob
//	        (20 bytes) and its encoding as a string:
//	          errors: count, strings
//	          records: count, each record's fields in Record's order,
//	          repeated ones (pipeline, kind, statuses, config, target,
//	          remote, signals) as word indexes; the steps' stage and
//	          step names as one word for all (stepNames), then per step
//	          its status, time, and a bit set saying which of exit,
//	          signal and message (nearly always zero) follow
//
// The totals let the decoder allocate every record and every step in one
// slice each.

// recordWords indexes the words table while encoding.
type recordWords struct {
	list  []string
	index map[string]uint64
}

func (ws *recordWords) put(w *cacheWriter, s string) {
	i, ok := ws.index[s]
	if !ok {
		i = uint64(len(ws.list))
		ws.index[s] = i
		ws.list = append(ws.list, s)
	}
	w.uint(i)
}

// encode is the cache file.
func (c recordsCache) encode() []byte {
	words := &recordWords{list: c.words, index: make(map[string]uint64, len(c.words))}
	for i, s := range c.words {
		words.index[s] = uint64(i)
	}
	size, recs, steps := 0, 0, 0
	order := c.ordered()
	encs := make([]string, len(order))
	for i, blob := range order {
		n := c.Notes[blob]
		if encs[i] = n.enc; n.enc == "" {
			encs[i] = encodeNote(words, n)
		}
		size += len(encs[i]) + 24
		recs += len(n.Recs)
		for _, r := range n.Recs {
			steps += len(r.Steps)
		}
	}
	w := newCacheWriter(recordsCacheVersion, size+64)
	w.uint(uint64(len(words.list)))
	for _, s := range words.list {
		w.str(s)
	}
	w.uint(uint64(len(encs)))
	w.uint(uint64(recs))
	w.uint(uint64(steps))
	for i, blob := range order {
		w.b = append(w.b, blob[:]...)
		w.str(encs[i])
	}
	return w.bytes()
}

// ordered is c.order if it lists every note once, else the notes in any
// order.
func (c recordsCache) ordered() []plumbing.Hash {
	if len(c.order) == len(c.Notes) {
		return c.order
	}
	order := make([]plumbing.Hash, 0, len(c.Notes))
	for blob := range c.Notes {
		order = append(order, blob)
	}
	return order
}

// encodeNote encodes a note's errors and records.
func encodeNote(words *recordWords, n parsedNote) string {
	w := &cacheWriter{b: make([]byte, 0, 256*len(n.Recs)+16)}
	w.uint(uint64(len(n.Errs)))
	for _, e := range n.Errs {
		w.str(e)
	}
	w.uint(uint64(len(n.Recs)))
	for i := range n.Recs {
		encodeRecord(w, words, &n.Recs[i])
	}
	return string(w.b)
}

// encodeRecord writes every field of r; decodeRecord reads them in the
// same order. TestRecordCodecFields fails when Record gains a field.
func encodeRecord(w *cacheWriter, words *recordWords, r *pipeline.Record) {
	w.int(int64(r.V))
	w.str(r.Run)
	words.put(w, r.Pipeline)
	words.put(w, r.Kind)
	words.put(w, r.Status)
	w.str(r.Commit)
	w.str(r.Tree)
	words.put(w, r.Config)
	w.time(r.Started)
	w.int(r.DurationMS)
	w.str(r.Ref)
	w.str(r.Branch)
	words.put(w, r.Into)
	w.bool(r.Promoted)
	w.str(r.Base)
	w.str(r.Message)
	w.uint(uint64(len(r.Conflicts)))
	for _, c := range r.Conflicts {
		w.str(c)
	}
	words.put(w, r.Remote)
	words.put(w, stepNames(r.Steps))
	for _, s := range r.Steps {
		words.put(w, s.Status)
		w.int(s.DurationMS)
		var rare uint64 // which of the fields that are nearly always zero follow
		if s.Exit != 0 {
			rare |= rareExit
		}
		if s.Signal != "" {
			rare |= rareSignal
		}
		if s.Message != "" {
			rare |= rareMessage
		}
		w.uint(rare)
		if s.Exit != 0 {
			w.int(int64(s.Exit))
		}
		if s.Signal != "" {
			words.put(w, s.Signal)
		}
		if s.Message != "" {
			w.str(s.Message)
		}
	}
}

// The bits of a step's rare fields that follow its status and time.
const (
	rareExit = 1 << iota
	rareSignal
	rareMessage
)

// stepNames is the word that names a run's steps in order: each stage
// and step name with its length, so any bytes may be in them. Runs of a
// pipeline nearly all have one, so each step costs its status, time and
// one byte.
func stepNames(steps []pipeline.StepResult) string {
	w := &cacheWriter{}
	for _, s := range steps {
		w.str(s.Stage)
		w.str(s.Step)
	}
	return string(w.b)
}

// decodeRecordsCache reads a cache file; any flaw is errCacheCorrupt.
func decodeRecordsCache(b []byte) (recordsCache, error) {
	r, err := openCache(b, recordsCacheVersion)
	if err != nil {
		return recordsCache{}, err
	}
	d := &recordDecoder{}
	d.words = make([]string, r.count())
	for i := range d.words {
		d.words[i] = r.str()
	}
	notes := r.count()
	d.recs = make([]pipeline.Record, r.count())
	d.steps = make([]pipeline.StepResult, r.count())
	c := recordsCache{Notes: make(map[plumbing.Hash]parsedNote, notes), order: make([]plumbing.Hash, 0, notes), words: d.words}
	for i := 0; i < notes && r.err == nil; i++ {
		var blob plumbing.Hash
		copy(blob[:], r.raw(len(blob)))
		enc := r.str()
		n, err := d.note(enc)
		if err != nil {
			return recordsCache{}, err
		}
		n.rank = i
		c.Notes[blob] = n
		c.order = append(c.order, blob)
		if len(c.Notes) != len(c.order) {
			return recordsCache{}, errCacheCorrupt // a blob twice
		}
	}
	if err := r.done(); err != nil {
		return recordsCache{}, err
	}
	return c, nil
}

// recordDecoder hands out the records and steps of a cache file from one
// slice each.
type recordDecoder struct {
	words []string
	names [][][2]string // by word: the step names it holds, once split
	recs  []pipeline.Record
	steps []pipeline.StepResult
	r     *cacheReader
}

func (d *recordDecoder) note(enc string) (parsedNote, error) {
	d.r = &cacheReader{s: enc}
	n := parsedNote{enc: enc}
	if errs := d.r.count(); errs > 0 {
		n.Errs = make([]string, errs)
		for i := range n.Errs {
			n.Errs[i] = d.r.str()
		}
	}
	if recs := d.r.count(); recs > 0 {
		if recs > len(d.recs) {
			return n, errCacheCorrupt
		}
		n.Recs, d.recs = d.recs[:recs:recs], d.recs[recs:]
		for i := range n.Recs {
			if err := d.record(&n.Recs[i]); err != nil {
				return n, err
			}
		}
	}
	return n, d.r.done()
}

func (d *recordDecoder) word() string {
	i := d.r.uint()
	if i >= uint64(len(d.words)) {
		d.r.fail()
		return ""
	}
	return d.words[i]
}

func (d *recordDecoder) record(rec *pipeline.Record) error {
	r := d.r
	rec.V = int(r.int())
	rec.Run = r.str()
	rec.Pipeline, rec.Kind, rec.Status = d.word(), d.word(), d.word()
	rec.Commit, rec.Tree = r.str(), r.str()
	rec.Config = d.word()
	rec.Started = r.time()
	rec.DurationMS = r.int()
	rec.Ref, rec.Branch = r.str(), r.str()
	rec.Into = d.word()
	rec.Promoted = r.bool()
	rec.Base, rec.Message = r.str(), r.str()
	if n := r.count(); n > 0 {
		rec.Conflicts = make([]string, n)
		for i := range rec.Conflicts {
			rec.Conflicts[i] = r.str()
		}
	}
	rec.Remote = d.word()
	names := d.stepNames()
	if len(names) > len(d.steps) {
		return errCacheCorrupt
	}
	if n := len(names); n > 0 {
		rec.Steps, d.steps = d.steps[:n:n], d.steps[n:]
	}
	for i := range rec.Steps {
		s := &rec.Steps[i]
		s.Stage, s.Step = names[i][0], names[i][1]
		s.Status = d.word()
		s.DurationMS = r.int()
		rare := r.uint()
		if rare&rareExit != 0 {
			s.Exit = int(r.int())
		}
		if rare&rareSignal != 0 {
			s.Signal = d.word()
		}
		if rare&rareMessage != 0 {
			s.Message = r.str()
		}
	}
	return r.err
}

// stepNames reads the word naming a run's steps (stepNames) and returns
// the stage and step names in it, split once per word.
func (d *recordDecoder) stepNames() [][2]string {
	i := d.r.uint()
	if i >= uint64(len(d.words)) {
		d.r.fail()
		return nil
	}
	if d.names == nil {
		d.names = make([][][2]string, len(d.words))
	}
	if d.names[i] == nil {
		names := [][2]string{}
		w := &cacheReader{s: d.words[i]}
		for w.off < len(w.s) && w.err == nil {
			names = append(names, [2]string{w.str(), w.str()})
		}
		if w.err != nil {
			d.r.fail()
			return nil
		}
		d.names[i] = names
	}
	return d.names[i]
}
