//! The JSON documents pgbag writes carry the keys spec/*.schema.json
//! promises (a structural check: required keys present, no keys a closed
//! object does not declare).

use std::fs;

use serde_json::Value;

use crate::common::*;

pub fn schema(name: &str) -> Value {
    serde_json::from_str(&fs::read_to_string(repo(&format!("spec/{name}"))).unwrap()).unwrap()
}

/// Checks `doc` against the object shape `s`, following local `$ref`s into
/// `root` and other files' refs into spec/.
pub fn check(doc: &Value, s: &Value, root: &Value, path: &str) {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let (file, pointer) = r.split_once('#').unwrap_or((r, ""));
        let target_root = if file.is_empty() { root.clone() } else { schema(file) };
        let target = target_root.pointer(pointer).unwrap_or_else(|| panic!("dangling $ref {r}")).clone();
        return check(doc, &target, &target_root, path);
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        for sub in all {
            check(doc, sub, root, path);
        }
    }
    if let (Some(obj), Some(props)) = (doc.as_object(), s.get("properties").and_then(Value::as_object)) {
        for req in s.get("required").and_then(Value::as_array).into_iter().flatten() {
            assert!(obj.contains_key(req.as_str().unwrap()), "{path}: missing required key {req}");
        }
        if s.get("additionalProperties") == Some(&Value::Bool(false)) {
            for k in obj.keys() {
                assert!(props.contains_key(k), "{path}: key {k} is not in the schema");
            }
        }
        for (k, sub) in props {
            if let Some(v) = obj.get(k) {
                check(v, sub, root, &format!("{path}.{k}"));
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), doc.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            check(v, items, root, &format!("{path}[{i}]"));
        }
    }
}

#[test]
fn written_json_matches_the_spec_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let bag = pack_sql(&fixture_dump(), dir.path(), &["--dir"]);
    let manifest: Value = serde_json::from_slice(&fs::read(bag.join("pgbag/manifest.json")).unwrap()).unwrap();
    let s = schema("manifest.schema.json");
    check(&manifest, &s, &s, "manifest.json");
    let summary: Value = serde_json::from_slice(&fs::read(bag.join("pgbag/schema.json")).unwrap()).unwrap();
    let s = schema("schema.schema.json");
    check(&summary, &s, &s, "schema.json");
    let s = schema("inspect.schema.json");
    check(&inspect_json(&bag), &s, &s, "inspect");
    let s = schema("validate.schema.json");
    let (_, report) = validate(&repo("samples/packages/broken-checksum.tar.gz"));
    assert!(!report["findings"].as_array().unwrap().is_empty());
    check(&report, &s, &s, "validate");
}
