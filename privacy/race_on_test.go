//go:build race

package privacy_test

// raceOn tells tests the race detector is on: it drops some of what
// sync.Pool is given, so pooled states are made again.
const raceOn = true
