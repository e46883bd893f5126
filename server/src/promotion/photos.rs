//! Uploaded photos, checked and re-encoded: only JPEG, PNG and WebP that decode, within size
//! and dimension limits (read from the header before decoding, so a small file claiming a huge
//! image is refused before it takes memory), resized for the page and as a thumbnail, and
//! written back as JPEG, which also drops what the original carried (EXIF, GPS position).

use app::domain::promotion::{PHOTO_MAX_BYTES, PromotionProblem};
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Widest side of the image the page shows, and of the thumbnail.
const DISPLAY_MAX: u32 = 1600;
const THUMBNAIL_MAX: u32 = 480;
/// Narrowest photo worth showing, and the largest side accepted.
const MIN_WIDTH: u32 = 400;
const MAX_SIDE: u32 = 10_000;

/// A photo ready to be stored.
#[derive(Debug, Clone)]
pub struct Processed {
    pub image: Vec<u8>,
    pub thumbnail: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, PromotionProblem> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| PromotionProblem::PhotoType)?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => Ok(reader),
        _ => Err(PromotionProblem::PhotoType),
    }
}

/// Checks and re-encodes an upload. CPU-bound: callers run it off the async threads.
pub fn process(bytes: &[u8]) -> Result<Processed, PromotionProblem> {
    if bytes.is_empty() {
        return Err(PromotionProblem::PhotoMissing);
    }
    if bytes.len() > PHOTO_MAX_BYTES {
        return Err(PromotionProblem::PhotoTooLarge);
    }
    let (width, height) = reader(bytes)?.into_dimensions().map_err(|_| PromotionProblem::PhotoType)?;
    if !(MIN_WIDTH..=MAX_SIDE).contains(&width) || !(1..=MAX_SIDE).contains(&height) {
        return Err(PromotionProblem::PhotoDimensions);
    }
    let mut reader = reader(bytes)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|_| PromotionProblem::PhotoType)?;
    let display = if decoded.width() > DISPLAY_MAX || decoded.height() > DISPLAY_MAX {
        decoded.resize(DISPLAY_MAX, DISPLAY_MAX, FilterType::Lanczos3)
    } else {
        decoded
    };
    let thumbnail = display.thumbnail(THUMBNAIL_MAX, THUMBNAIL_MAX);
    Ok(Processed {
        width: display.width(),
        height: display.height(),
        image: jpeg(&display, 82)?,
        thumbnail: jpeg(&thumbnail, 78)?,
    })
}

fn jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, PromotionProblem> {
    let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    rgb.write_with_encoder(encoder).map_err(|_| PromotionProblem::PhotoType)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image =
            image::RgbaImage::from_fn(width, height, |x, y| image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, 255]));
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(image).write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn a_large_png_becomes_a_bounded_jpeg_and_a_thumbnail() {
        let processed = process(&png(2400, 1200)).unwrap();
        assert_eq!((processed.width, processed.height), (1600, 800));
        assert_eq!(&processed.image[..2], &[0xFF, 0xD8], "JPEG");
        let thumb = image::load_from_memory(&processed.thumbnail).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (480, 240));
    }

    #[test]
    fn what_is_not_a_usable_photo_is_refused_with_its_reason() {
        assert_eq!(process(&[]).unwrap_err(), PromotionProblem::PhotoMissing);
        assert_eq!(process(b"%PDF-1.7 not an image").unwrap_err(), PromotionProblem::PhotoType);
        assert_eq!(
            process(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>").unwrap_err(),
            PromotionProblem::PhotoType
        );
        assert_eq!(process(&png(200, 200)).unwrap_err(), PromotionProblem::PhotoDimensions);
        assert_eq!(process(&vec![0xFF; PHOTO_MAX_BYTES + 1]).unwrap_err(), PromotionProblem::PhotoTooLarge);
        // A PNG header that claims 20 000 × 20 000 pixels is refused before decoding.
        let mut bomb = png(400, 400);
        bomb[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        // (Its checksum no longer matches either: refused as a dimension or as a broken file.)
        let refused = process(&bomb).unwrap_err();
        assert!(matches!(refused, PromotionProblem::PhotoDimensions | PromotionProblem::PhotoType), "{refused:?}");
        // Truncated: the header is fine, the pixels are missing.
        let whole = png(800, 600);
        assert_eq!(process(&whole[..whole.len() / 3]).unwrap_err(), PromotionProblem::PhotoType);
    }
}
