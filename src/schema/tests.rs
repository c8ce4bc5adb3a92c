use super::*;

#[test]
fn debug_dump() {
    let f = std::fs::File::open(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/pagila-schema.sql")).unwrap();
    let s = summarize(std::io::BufReader::new(f)).unwrap();
    std::fs::write("/tmp/pagila.json", serde_json::to_string_pretty(&s).unwrap()).unwrap();
    for p in ["samples/dumps/fixture.sql", "samples/dumps/fixture-inserts.sql"] {
        let f = std::fs::File::open("/work/main/".to_string() + p).unwrap();
        let s = summarize(std::io::BufReader::new(f)).unwrap();
        std::fs::write(
            format!("/tmp/{}.json", p.rsplit('/').next().unwrap()),
            serde_json::to_string_pretty(&s).unwrap(),
        )
        .unwrap();
    }
}
