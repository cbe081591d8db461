package story

import (
	"hash/fnv"
	"math/bits"
)

// MaxDistance is the largest Hamming distance between two fingerprints of
// near-duplicate texts. Three of 64 bits is the threshold Manku, Jain and
// Das Sarma found for near-duplicate web pages (WWW 2007); a post is far
// shorter than a page, so at 3 two posts share all but a word or two of
// their content words — a copy with its emoticons, mentions and
// punctuation changed (those are dropped before hashing anyway) or a word
// swapped — while two posts that only talk about the same thing land 10 to
// 30 bits apart and are left to the story step.
const MaxDistance = 3

// bands splits a fingerprint into MaxDistance+1 bands of 16 bits: two
// fingerprints at most MaxDistance bits apart agree on at least one band
// (pigeonhole), so comparing only fingerprints that share a band finds
// every near-duplicate pair.
const (
	bands    = MaxDistance + 1
	bandBits = 64 / bands
)

// simhash is Charikar's fingerprint of words: every shingle of one and of
// two consecutive words votes on each of 64 bits with its hash; a bit is
// set where the votes for it win.
func simhash(words []string) uint64 {
	var votes [64]int
	vote := func(h uint64) {
		for b := 0; b < 64; b++ {
			if h&(1<<b) != 0 {
				votes[b]++
			} else {
				votes[b]--
			}
		}
	}
	for i, w := range words {
		vote(hashString(w))
		if i+1 < len(words) {
			vote(hashString(w + "\x00" + words[i+1]))
		}
	}
	var fp uint64
	for b, v := range votes {
		if v > 0 {
			fp |= 1 << b
		}
	}
	return fp
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	// FNV's high bits mix poorly for short keys; one round of a
	// splitmix64 finaliser spreads them over all 64 bits.
	x := h.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// nearPairs calls pair(i, j) for every two fingerprints at most
// MaxDistance apart, through the banded index. Equal fingerprints are
// collapsed first, so a thousand copies cost one entry and a bucket holds
// only distinct fingerprints. A pair sharing several bands is reported
// once per band; callers union, which does not mind.
func nearPairs(fps []uint64, pair func(i, j int)) {
	first := make(map[uint64]int, len(fps))
	var distinct []int
	for i, fp := range fps {
		if j, ok := first[fp]; ok {
			pair(j, i)
			continue
		}
		first[fp] = i
		distinct = append(distinct, i)
	}
	var index [bands]map[uint16][]int
	for b := range index {
		index[b] = make(map[uint16][]int, len(distinct))
	}
	for _, i := range distinct {
		fp := fps[i]
		for b := range index {
			key := uint16(fp >> (b * bandBits))
			for _, j := range index[b][key] {
				if distance(fp, fps[j]) <= MaxDistance {
					pair(j, i)
				}
			}
			index[b][key] = append(index[b][key], i)
		}
	}
}
