//! The JSON documents pgbag writes are valid against spec/*.schema.json, as
//! a real JSON Schema validator (the `jsonschema` crate, draft 2020-12,
//! formats asserted) decides; and every spec/*.schema.json is itself a valid
//! schema. The other checks against schemas (`list`, `prune`, `restore
//! --plan`) call [`assert_valid`] from where their outputs are made.

use std::fs;

use serde_json::{Value, json};

use crate::common::*;

/// What the schemas' relative `$ref`s to each other resolve against: their
/// `$id`s name files under it, and a schema without one is given it.
const BASE_URI: &str = "https://pgbag.example/spec/";

/// Every spec/*.schema.json: (file name, contents).
fn spec_schemas() -> Vec<(String, Value)> {
    let mut all: Vec<(String, Value)> = fs::read_dir(repo("spec"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".schema.json"))
        .map(|n| {
            let text = fs::read_to_string(repo(&format!("spec/{n}"))).unwrap();
            let schema = serde_json::from_str(&text).unwrap_or_else(|e| panic!("spec/{n}: {e}"));
            (n, schema)
        })
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(all.len() >= 7, "spec/ holds only {:?}", all.iter().map(|s| &s.0).collect::<Vec<_>>());
    all
}

/// A validator for spec/`name`, with the other spec files there for its
/// `$ref`s (and nothing from the network: the crate is built without it).
fn validator(name: &str) -> jsonschema::Validator {
    let schemas = spec_schemas();
    let mut registry = jsonschema::Registry::new();
    for (file, schema) in &schemas {
        registry = registry.add(format!("{BASE_URI}{file}"), schema.clone()).unwrap();
    }
    let registry = registry.prepare().unwrap_or_else(|e| panic!("the spec schemas do not resolve: {e}"));
    let (_, schema) = schemas.iter().find(|(f, _)| f == name).unwrap_or_else(|| panic!("no spec/{name}"));
    jsonschema::options()
        .with_registry(&registry)
        .with_base_uri(format!("{BASE_URI}{name}"))
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("spec/{name} does not compile: {e}"))
}

/// Every way `doc` violates spec/`schema`, one line each ("" when none).
fn violations(doc: &Value, schema: &str) -> String {
    let errors: Vec<String> =
        validator(schema).iter_errors(doc).map(|e| format!("{}: {e}", e.instance_path())).collect();
    errors.join("\n")
}

/// Panics, naming each violation, unless `doc` (`what`) is valid against
/// spec/`schema`.
pub fn assert_valid(doc: &Value, schema: &str, what: &str) {
    let found = violations(doc, schema);
    assert!(found.is_empty(), "{what} violates spec/{schema}:\n{found}\n--- {what} ---\n{doc:#}");
}

#[test]
fn every_spec_schema_is_a_json_schema_that_compiles() {
    for (name, schema) in spec_schemas() {
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "spec/{name}");
        if let Err(e) = jsonschema::meta::validate(&schema) {
            panic!("spec/{name} is not a valid JSON Schema: {e} (at {})", e.instance_path());
        }
        validator(&name); // and its $refs resolve
    }
    // The meta-validation can fail.
    let broken = json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "objekt"});
    assert!(jsonschema::meta::validate(&broken).is_err());
}

#[test]
fn written_json_matches_the_spec_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let bag = pack_sql(&fixture_dump(), dir.path(), &["--dir"]);
    let manifest: Value = serde_json::from_slice(&fs::read(bag.join("pgbag/manifest.json")).unwrap()).unwrap();
    assert_valid(&manifest, "manifest.schema.json", "manifest.json");
    let summary: Value = serde_json::from_slice(&fs::read(bag.join("pgbag/schema.json")).unwrap()).unwrap();
    assert_valid(&summary, "schema.schema.json", "schema.json");
    let inspect = inspect_json(&bag);
    assert_valid(&inspect, "inspect.schema.json", "inspect --json");
    let (_, report) = validate(&bag);
    assert_valid(&report, "validate.schema.json", "validate --json of a sound package");
    let (_, report) = validate(&repo("samples/packages/broken-checksum.tar.gz"));
    assert!(!report["findings"].as_array().unwrap().is_empty());
    assert_valid(&report, "validate.schema.json", "validate --json with findings");

    // And the validator does reject what breaks them: a missing key, a
    // wrong type, a key no schema has, a malformed date, in a $ref'd part.
    let mut no_format = manifest.clone();
    no_format.as_object_mut().unwrap().remove("format_version");
    let mut bad_date = manifest.clone();
    bad_date["created_at"] = json!("yesterday");
    let mut extra = summary.clone();
    extra["tables"][0]["surprise"] = json!(true);
    let mut rows = inspect.clone();
    rows["tables"][0]["rows"] = json!("1000");
    for (doc, schema, what) in [
        (&no_format, "manifest.schema.json", "format_version"),
        (&bad_date, "manifest.schema.json", "created_at"),
        (&extra, "schema.schema.json", "surprise"),
        (&rows, "inspect.schema.json", "rows"),
    ] {
        let found = violations(doc, schema);
        assert!(found.contains(what), "spec/{schema} let a broken {what} through: {found:?}");
    }
}
