package merge

// Rename similarity as git's diffcore-rename estimates it (diffcore-delta's
// span hashes), in git 2.39's version: the content is cut into chunks that
// end at a newline or after 64 bytes (a final chunk without either is not
// counted), each chunk is hashed, and the score is the number of source
// bytes found again in the destination, over the larger size, in units of
// maxScore.

const (
	maxScore          = 60000
	minimumScore      = 30000                                    // git's default -M50%
	minBasenameScore  = minimumScore + (maxScore-minimumScore)/2 // 75%, merge-ort's basename guess
	spanHashBase      = 107927
	candidatesPerDest = 4
	renameLimit       = 7000 // merge-ort's default merge.renameLimit
)

// spans counts the bytes of data per span hash.
func spans(data []byte) map[uint32]uint32 {
	text := !isBinary(data)
	out := map[uint32]uint32{}
	var accum1, accum2 uint32
	n := uint32(0)
	for i := 0; i < len(data); i++ {
		c := uint32(data[i])
		old1 := accum1
		if text && c == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			continue
		}
		accum1 = (accum1 << 7) ^ (accum2 >> 25)
		accum2 = (accum2 << 7) ^ (old1 >> 25)
		accum1 += c
		n++
		if n < 64 && c != '\n' {
			continue
		}
		out[(accum1+accum2*0x61)%spanHashBase] += n
		n, accum1, accum2 = 0, 0, 0
	}
	return out
}

// similarity is estimate_similarity for two regular files' contents.
func similarity(src, dst []byte, srcSpans, dstSpans map[uint32]uint32) int {
	maxSize, baseSize := len(src), len(dst)
	if maxSize < baseSize {
		maxSize, baseSize = baseSize, maxSize
	}
	delta := maxSize - baseSize
	if uint64(maxSize)*(maxScore-minimumScore) < uint64(delta)*maxScore {
		return 0
	}
	if len(dst) == 0 {
		return 0
	}
	var copied uint64
	for h, sc := range srcSpans {
		copied += uint64(min(sc, dstSpans[h]))
	}
	return int(copied * maxScore / uint64(maxSize))
}

// basenameSame is diffcore-rename's basename_same.
func basenameSame(a, b string) bool {
	return baseName(a) == baseName(b)
}

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}
