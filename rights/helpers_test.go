package rights_test

import (
	"testing"

	"github.com/dossierwacht/dossierwacht/internal/testworld"
)

// The tests run in the world of package testworld (Anna, her absence case
// and records, the desk over them), shared with package export's tests;
// these are its names here.

var (
	t0         = testworld.T0
	contract   = testworld.Contract
	physician  = testworld.Physician
	officer    = testworld.Officer
	assigned   = testworld.Assigned
	officerAct = testworld.OfficerAct
	deskAct    = testworld.DeskAct
	subjectAct = testworld.SubjectAct
	as         = testworld.As
	wantKind   = testworld.WantKind
	wantRule   = testworld.WantRule
	day        = testworld.Day
	records    = testworld.Records
)

const (
	anna     = testworld.Anna
	carla    = testworld.Carla
	annaCase = testworld.AnnaCase
)

type (
	world        = testworld.World
	worldOptions = testworld.Options
)

func newWorld(tb testing.TB, o *worldOptions) *world { return testworld.New(tb, o) }
