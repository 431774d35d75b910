//! The period report's HTML in a real headless browser (Chromium from Debian's
//! packages, installed by `scripts/chromium`; the test fails, never skips, without
//! it): the DOM Chromium builds has the timeline the report states, and its screenshot
//! shows the failed days in red and the passed days in green.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{soc2scan, write};

/// 2026-01-01T00:00:00Z.
const START: i64 = 1_767_225_600;

const GOOD: &str = r#"
resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
"#;
const BAD: &str = "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"acme-data\"\n}\n";

fn chromium() -> PathBuf {
    for dir in std::env::var("PATH").unwrap_or_default().split(':') {
        let p = Path::new(dir).join("chromium");
        if p.is_file() {
            return p;
        }
    }
    panic!("the HTML report test needs Chromium: run scripts/chromium (apt-get install chromium)");
}

fn browser(args: &[&str], page: &Path) -> Vec<u8> {
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .args([
            "--no-first-run",
            "--disable-extensions",
            "--force-color-profile=srgb",
        ])
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Days 0–1 and 4 pass, days 2–3 fail AWS-S3-001 (criteria CC6.1 and C1.1).
fn store(dir: &Path) -> PathBuf {
    let store = dir.join("store");
    for d in 0..5 {
        write(
            dir,
            "infra/main.tf",
            if (2..4).contains(&d) { BAD } else { GOOD },
        );
        soc2scan()
            .current_dir(dir)
            .env(
                "SOURCE_DATE_EPOCH",
                (START + d * 86_400 + 3_600).to_string(),
            )
            .args([
                "scan",
                "infra",
                "--no-config",
                "--select",
                "AWS-S3-001",
                "-q",
                "-f",
                "json",
            ])
            .args(["-o", "r.json", "--target", "infra", "--record"])
            .arg(&store)
            .assert()
            .code(i32::from((2..4).contains(&d)));
    }
    store
}

fn html(dir: &Path, store: &Path, to: &str, name: &str) -> PathBuf {
    let out = dir.join(name);
    soc2scan()
        .args([
            "evidence",
            "report",
            "--from",
            "2026-01-01",
            "--to",
            to,
            "-f",
            "html",
            "--store",
        ])
        .arg(store)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0);
    out
}

#[test]
fn the_browser_shows_the_timeline() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let store = store(dir);
    let five = html(dir, &store, "2026-01-05", "five.html");
    let two = html(dir, &store, "2026-01-02", "two.html");

    // The DOM as Chromium parsed it: one row of 5 day cells per criterion of the JSON
    // form; CC6.1 and C1.1 failed on two days and passed on three.
    let json = soc2scan()
        .args([
            "evidence",
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-05",
            "-f",
            "json",
        ])
        .arg("--store")
        .arg(&store)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let criteria = doc["criteria"].as_array().unwrap().len();
    assert!(criteria > 40, "{criteria}");
    let dom = String::from_utf8(browser(&["--dump-dom"], &five)).unwrap();
    assert_eq!(dom.matches("<tr data-criterion=").count(), criteria);
    assert_eq!(dom.matches("<td class=").count(), criteria * 5);
    assert_eq!(dom.matches("<td class=\"f\"").count(), 4);
    assert_eq!(dom.matches("<td class=\"p\"").count(), 6);
    assert_eq!(dom.matches("<td class=\"x\"").count(), 0);
    assert!(dom.contains("<span class=\"ok\" id=\"chain\">verified</span>"));
    let row = dom.split("<tr data-criterion=\"CC6.1\">").nth(1).unwrap();
    let row = &row[..row.find("</tr>").unwrap()];
    let cells: Vec<&str> = row
        .match_indices("<td class=\"")
        .map(|(i, m)| &row[i + m.len()..i + m.len() + 1])
        .collect();
    assert_eq!(cells, ["p", "p", "f", "f", "p"]);

    // The screenshot: the four failed cells add red, the passed cells green, over the
    // two-day report (which has only the legend's red).
    let red = |png: &Path| count(png, [0xdd, 0x33, 0x33]);
    let green = |png: &Path| count(png, [0x33, 0xaa, 0x33]);
    let shot = |page: &Path, name: &str| {
        let png = dir.join(name);
        browser(
            &[
                &format!("--screenshot={}", png.display()),
                "--window-size=1400,2400",
            ],
            page,
        );
        png
    };
    let (s5, s2) = (shot(&five, "five.png"), shot(&two, "two.png"));
    let (r5, r2) = (red(&s5), red(&s2));
    let (g5, g2) = (green(&s5), green(&s2));
    // Each day cell is 8×16 CSS pixels less its border: at least 6×12 of its colour.
    assert!(r2 > 0, "the legend's red swatch");
    assert!(r5 >= r2 + 4 * 72, "red {r5} vs {r2}");
    // Four more red cells and two more green ones, all of one size.
    assert_eq!(
        r5 - r2,
        2 * (g5 - g2),
        "red {r5} vs {r2}, green {g5} vs {g2}"
    );
}

/// The number of pixels of `rgb` (±3 per channel) in an 8-bit RGB or RGBA PNG.
fn count(png: &Path, rgb: [u8; 3]) -> usize {
    let (w, h, channels, pixels) = decode_png(&std::fs::read(png).unwrap());
    assert!(w > 0 && h > 0);
    pixels
        .chunks(channels)
        .filter(|p| (0..3).all(|i| p[i].abs_diff(rgb[i]) <= 3))
        .count()
}

/// A minimal PNG decoder: 8-bit RGB or RGBA, not interlaced.
fn decode_png(bytes: &[u8]) -> (usize, usize, usize, Vec<u8>) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let (mut w, mut h, mut channels) = (0usize, 0usize, 0usize);
    let mut idat = Vec::new();
    let mut i = 8;
    while i + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
        let kind = &bytes[i + 4..i + 8];
        let data = &bytes[i + 8..i + 8 + len];
        match kind {
            b"IHDR" => {
                w = u32::from_be_bytes(data[0..4].try_into().unwrap()) as usize;
                h = u32::from_be_bytes(data[4..8].try_into().unwrap()) as usize;
                assert_eq!(data[8], 8, "bit depth");
                channels = match data[9] {
                    2 => 3,
                    6 => 4,
                    t => panic!("colour type {t}"),
                };
                assert_eq!(data[12], 0, "interlaced");
            }
            b"IDAT" => idat.extend_from_slice(data),
            b"IEND" => break,
            _ => {}
        }
        i += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .unwrap();
    let stride = w * channels;
    let mut out = vec![0u8; h * stride];
    for y in 0..h {
        let filter = raw[y * (stride + 1)];
        let line = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
        for x in 0..stride {
            let a = if x >= channels {
                out[y * stride + x - channels]
            } else {
                0
            };
            let b = if y > 0 { out[(y - 1) * stride + x] } else { 0 };
            let c = if x >= channels && y > 0 {
                out[(y - 1) * stride + x - channels]
            } else {
                0
            };
            let pred = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((a as u16 + b as u16) / 2) as u8,
                4 => {
                    let p = a as i16 + b as i16 - c as i16;
                    let (pa, pb, pc) = (
                        (p - a as i16).abs(),
                        (p - b as i16).abs(),
                        (p - c as i16).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                f => panic!("filter {f}"),
            };
            out[y * stride + x] = line[x].wrapping_add(pred);
        }
    }
    (w, h, channels, out)
}
