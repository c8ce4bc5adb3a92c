//! Options shared by every command that reads or writes `s3://` locations,
//! and turning a command-line string into something to read.

use std::sync::Arc;

use clap::Args;

use pgbag::store::{Input, Location, S3, S3Config, S3Url};
use pgbag::{Error, Result};

/// S3 connection options. Credentials, region and profile come from the AWS
/// SDK's usual chain (AWS_ACCESS_KEY_ID…, AWS_PROFILE, instance roles).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "S3 options (for s3://bucket/key locations)")]
pub struct S3Args {
    /// S3-compatible endpoint, e.g. http://127.0.0.1:9000 for MinIO (default: AWS_ENDPOINT_URL, else AWS)
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Path-style requests (bucket in the path); automatic for IP and localhost endpoints,
    /// also AWS_S3_FORCE_PATH_STYLE=true
    #[arg(long)]
    pub s3_force_path_style: bool,
}

/// S3 options of the commands that upload (`pack`, `push`): the connection,
/// and the multipart part size, which only an upload has (issue 13: it was
/// offered on every command that reads).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "S3 options (for s3://bucket/key locations)")]
pub struct S3UploadArgs {
    #[command(flatten)]
    pub s3: S3Args,
    /// Multipart part size in MiB (5-5120); 10,000 parts is S3's limit per object
    #[arg(long, value_name = "MIB", default_value_t = 16)]
    pub s3_part_size: usize,
}

impl S3UploadArgs {
    pub fn connect(&self) -> Result<Arc<S3>> {
        self.s3.connect_with(Some(self.s3_part_size.saturating_mul(1 << 20)))
    }

    /// Opens an input named on the command line (`pack --sql s3://…`).
    pub fn open(&self, s: &str) -> Result<Input> {
        Input::open_location(&Location::parse(s)?, || self.connect())
    }
}

impl S3Args {
    pub fn connect(&self) -> Result<Arc<S3>> {
        self.connect_with(None)
    }

    fn connect_with(&self, part_size: Option<usize>) -> Result<Arc<S3>> {
        S3::connect(&S3Config {
            endpoint_url: self.endpoint_url.clone(),
            force_path_style: self.s3_force_path_style,
            part_size,
            static_credentials: None,
            region: None,
        })
    }

    /// Opens a package named on the command line: a path or `s3://…`.
    pub fn open(&self, s: &str) -> Result<Input> {
        Input::open_location(&Location::parse(s)?, || self.connect())
    }
}

pub fn s3_url(s: &str, what: &str) -> Result<S3Url> {
    match Location::parse(s)? {
        Location::S3(u) => Ok(u),
        Location::Local(_) => Err(Error::usage(format!("{what} must be an s3://bucket/… URL, not {s}"))),
    }
}

pub fn prefix_url(s: &str) -> Result<S3Url> {
    let u = s3_url(s, "the prefix")?;
    if u.is_prefix() {
        Ok(u)
    } else {
        // `s3://b/nightly` means the folder, as `aws s3 ls` takes it.
        Ok(u.with_key(format!("{}/", u.key)))
    }
}
