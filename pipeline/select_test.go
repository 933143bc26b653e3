package pipeline

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSelectProject(t *testing.T) {
	app := Project{Name: "app", Repo: "/srv/git/app.git", Params: map[string]string{"A": "1"}}
	web := Project{Name: "web", Repo: "git@example.com:org/web.git"}
	api := Project{Name: "api", Repo: "/srv/git/api"}
	api2 := Project{Name: "api2", Repo: "/mirror/api.git"}
	tests := []struct {
		name     string
		projects []Project
		giveName string
		givePath string
		want     Project
		wantErr  string
	}{
		{name: "by name", projects: []Project{app, web}, giveName: "web", givePath: "/srv/git/app.git", want: web},
		{name: "unknown name", projects: []Project{app, web}, giveName: "nope",
			wantErr: `no project "nope" in ci.yaml (defined: "app", "web")`},
		{name: "exact path, cleaned", projects: []Project{app, web}, givePath: "/srv/git/./app.git/", want: app},
		{name: "base name of a clone", projects: []Project{app, web}, givePath: "/home/me/src/app", want: app},
		{name: "base name of a URL", projects: []Project{app, web}, givePath: "/home/me/web", want: web},
		{name: "exact path beats base name", projects: []Project{api2, api}, givePath: "/srv/git/api", want: api},
		{name: "ambiguous base name", projects: []Project{api, api2}, givePath: "/home/me/api",
			wantErr: "several projects in ci.yaml match repository \"/home/me/api\" (\"api\", \"api2\"); choose one with `git config ci.project NAME`"},
		{name: "only project", projects: []Project{app}, givePath: "/elsewhere/other", want: app},
		{name: "no projects", givePath: "/elsewhere/other", want: Project{}},
		{name: "no match among several", projects: []Project{app, web}, givePath: "/elsewhere/other",
			wantErr: "no project in ci.yaml matches repository \"/elsewhere/other\" (defined: \"app\", \"web\"); choose one with `git config ci.project NAME`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &Config{Projects: tt.projects}
			have, err := cfg.SelectProject(tt.giveName, tt.givePath)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("SelectProject error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, have); diff != "" {
				t.Errorf("SelectProject (-want +have):\n%s", diff)
			}
		})
	}
}

func TestRepoBase(t *testing.T) {
	for give, want := range map[string]string{
		"/srv/git/app.git": "app", "/src/app/": "app", "host:app.git": "app",
		"https://example.com/org/app": "app", "app": "app", `C:\src\app`: "app",
	} {
		if have := repoBase(give); have != want {
			t.Errorf("repoBase(%q) = %q, want %q", give, have, want)
		}
	}
}
