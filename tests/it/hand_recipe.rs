//! Each package's README.txt says how to restore it with plain psql. These
//! tests follow it literally, for the dump forms users keep: a plain dump,
//! the nightly `pg_dump --no-owner --no-acl --clean | gzip`, and a
//! `pg_dump --create --clean` dump (issue 12: the recipe's `ON_ERROR_STOP=1
//! --single-transaction` failed on a `--clean` dump at its first DROP).

use std::path::Path;
use std::process::Command;

use crate::common::*;
use crate::restore::content_hash;
use crate::util::Cluster;

const SOURCE: &str = "
CREATE EXTENSION pgcrypto;
CREATE TYPE public.status AS ENUM ('draft', 'done');
CREATE TABLE public.works (id serial PRIMARY KEY, title text NOT NULL, s public.status DEFAULT 'draft');
CREATE TABLE public.loans (work_id int REFERENCES public.works, at timestamptz DEFAULT now());
CREATE VIEW public.titles AS SELECT title FROM public.works;
INSERT INTO public.works (title) SELECT 'work ' || g FROM generate_series(1, 200) g;
INSERT INTO public.loans (work_id) SELECT id FROM public.works WHERE id % 3 = 0;
";

/// The restore recipe's shell commands, as README.txt gives them: the
/// indented lines under its heading that run a program, with `\`
/// continuations joined.
fn recipe(readme: &str) -> Vec<String> {
    let section = readme.split("How to restore it with plain psql").nth(1).expect("a restore recipe");
    let section = section.split("What it holds").next().unwrap();
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in section.lines() {
        let l = line.trim();
        let starts = ["createdb ", "psql ", "grep "].iter().any(|p| l.starts_with(p));
        if pending.is_empty() && !(starts && line.starts_with("       ")) {
            continue;
        }
        match l.strip_suffix('\\') {
            Some(head) => pending.push_str(head),
            None => {
                pending.push_str(l);
                out.push(std::mem::take(&mut pending));
            }
        }
    }
    out
}

/// Runs the recipe in the bag's folder against `pg`; a `grep` line is the
/// recipe's check, which must print nothing.
fn follow(pg: &Cluster, bag: &Path, readme: &str) -> Vec<String> {
    let commands = recipe(readme);
    assert!(commands.iter().any(|c| c.starts_with("psql ")), "no psql line in:\n{readme}");
    for c in &commands {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(c).current_dir(bag);
        pg.apply_env(&mut cmd);
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        if c.starts_with("grep ") {
            assert!(stdout.trim().is_empty(), "{c} printed:\n{stdout}");
        } else {
            assert!(out.status.success(), "{c}: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
    commands
}

fn unpack(pkg: &Path, dir: &Path) -> std::path::PathBuf {
    printed_path(pgbag().arg("unpack").arg(pkg).arg("-o").arg(dir))
}

fn same(pg: &Cluster, a: &str, b: &str) {
    for t in ["works", "loans"] {
        assert_eq!(content_hash(pg, a, "public", t), content_hash(pg, b, "public", t), "{t}");
    }
    let q = "SELECT last_value FROM public.works_id_seq";
    assert_eq!(pg.psql(a, q), pg.psql(b, q));
    assert_eq!(pg.psql(b, "SELECT count(*) FROM public.titles"), "200");
}

#[test]
fn the_hand_recipe_in_readme_txt_restores_each_dump_form_as_written() {
    // Shared: hand_src_* and the recipe's own `restored` are this test's.
    let Some(pg) = Cluster::shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    // (case, pg_dump options, the recipe's own database)
    let cases: [(&str, &[&str], bool); 3] = [
        ("plain", &[], false),
        ("nightly --clean", &["--no-owner", "--no-acl", "--clean"], false),
        ("--create --clean", &["--create", "--clean"], true),
    ];
    for (i, (case, opts, creates)) in cases.into_iter().enumerate() {
        let src = format!("hand_src_{i}");
        pg.create_db(&src);
        pg.psql(&src, SOURCE);
        let dump = dir.path().join(format!("{i}.sql"));
        std::fs::write(&dump, pg.pg_dump(&src, opts)).unwrap();
        let work = dir.path().join(format!("case{i}"));
        std::fs::create_dir(&work).unwrap();
        let pkg = pack_sql(&dump, &work, &[]);
        let bag = unpack(&pkg, &work);
        let readme = std::fs::read_to_string(bag.join("pgbag/README.txt")).unwrap();
        let restored = if creates {
            // The dump makes its own database, by the source's name: on this
            // one server, move the source aside first, as the recipe says.
            let kept = format!("{src}_kept");
            pg.psql("postgres", &format!("ALTER DATABASE {src} RENAME TO {kept}"));
            assert!(readme.contains(&format!("creates its own database, {src}")), "{case}:\n{readme}");
            assert!(readme.contains("never run it on a server where the live"), "{case}:\n{readme}");
            follow(pg, &bag, &readme);
            same(pg, &kept, &src);
            continue;
        } else {
            "restored"
        };
        let commands = follow(pg, &bag, &readme);
        if opts.contains(&"--clean") {
            assert!(commands.iter().any(|c| c.contains("ON_ERROR_ROLLBACK=on")), "{case}: {commands:?}");
        } else {
            assert!(commands.iter().any(|c| c.contains("ON_ERROR_STOP=1 --single-transaction")), "{case}");
        }
        same(pg, &src, restored);
        pg.psql("postgres", "DROP DATABASE restored");
    }
}
