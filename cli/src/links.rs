//! Links that leave the store's pages: in an email or a product feed every link and image
//! must be absolute (there is no page to be relative to), and an email's links carry the
//! campaign's UTM parameters. Which URLs may be used at all is the engine's rule
//! ([`cartlift_engine::url::check_url`], the widget's); joining and query strings are the
//! `url` crate's.

use anyhow::{Result, bail};
use url::Url;

/// How catalog URLs become absolute, tracked links.
#[derive(Clone, Debug, Default)]
pub struct Links {
    base: Option<Url>,
    utm: Vec<(String, String)>,
}

impl Links {
    /// Relative catalog URLs are joined to `base` (an absolute `http(s)` URL); `utm` are
    /// the parameters every link gets (`utm_source`, …).
    pub fn new(base: Option<&str>, utm: Vec<(String, String)>) -> Result<Links> {
        let base = match base {
            Some(text) => {
                let url = Url::parse(text).map_err(|e| {
                    anyhow::anyhow!(
                        "--base-url {text}: {e}; use an absolute URL, https://shop.example"
                    )
                })?;
                if !matches!(url.scheme(), "http" | "https") {
                    bail!("--base-url {text}: use an http or https URL");
                }
                Some(url)
            }
            None => None,
        };
        Ok(Links { base, utm })
    }

    /// A catalog URL made absolute; `None` for one the widget would refuse too
    /// (`javascript:`, `data:`, …). A relative URL without a base is an error: the link
    /// would lead nowhere.
    pub fn absolute(&self, url: &str) -> Result<Option<Url>> {
        if cartlift_engine::url::check_url(url).is_err() {
            return Ok(None);
        }
        let joined = match (Url::parse(url), &self.base) {
            (Ok(absolute), _) => absolute,
            (Err(url::ParseError::RelativeUrlWithoutBase), Some(base)) => match base.join(url) {
                Ok(u) => u,
                Err(_) => return Ok(None),
            },
            (Err(url::ParseError::RelativeUrlWithoutBase), None) => {
                bail!("the catalog URL `{url}` is relative: give --base-url https://your.shop")
            }
            (Err(_), _) => return Ok(None),
        };
        Ok(matches!(joined.scheme(), "http" | "https").then_some(joined))
    }

    /// [`Links::absolute`] with the UTM parameters (and `utm_content`, when given),
    /// replacing any of the same name the URL had.
    pub fn tracked(&self, url: &str, content: Option<&str>) -> Result<Option<String>> {
        let Some(mut url) = self.absolute(url)? else {
            return Ok(None);
        };
        let mut params: Vec<(&str, &str)> = self
            .utm
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let Some(content) = content {
            params.push(("utm_content", content));
        }
        if params.is_empty() {
            return Ok(Some(url.into()));
        }
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !params.iter().any(|(p, _)| p == k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(kept)
            .extend_pairs(params);
        Ok(Some(url.into()))
    }
}

/// `--utm campaign=spring`: `utm_campaign=spring` (a key may be given with its `utm_`).
pub fn parse_utm(text: &str) -> Result<(String, String), String> {
    let (key, value) = text
        .split_once('=')
        .ok_or_else(|| "use KEY=VALUE, e.g. campaign=post_purchase".to_string())?;
    let key = key.trim();
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(format!("`{key}` is not a parameter name"));
    }
    let key = if key.starts_with("utm_") {
        key.to_string()
    } else {
        format!("utm_{key}")
    };
    Ok((key, value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_join_the_base_and_carry_the_campaign() {
        let links = Links::new(
            Some("https://shop.example/store/"),
            vec![("utm_source".into(), "cartlift".into())],
        )
        .unwrap();
        assert_eq!(
            links
                .tracked("/p/cam?utm_source=old&x=1", Some("cam 1"))
                .unwrap()
                .as_deref(),
            Some("https://shop.example/p/cam?x=1&utm_source=cartlift&utm_content=cam+1")
        );
        assert_eq!(
            links
                .absolute("img/a.svg")
                .unwrap()
                .map(String::from)
                .as_deref(),
            Some("https://shop.example/store/img/a.svg")
        );
        assert_eq!(links.absolute("javascript:alert(1)").unwrap(), None);
        assert_eq!(links.absolute("java\tscript:alert(1)").unwrap(), None);
        let e = Links::default().absolute("/p/cam").unwrap_err();
        assert!(e.to_string().contains("--base-url"), "{e}");
        assert!(Links::new(Some("/relative"), vec![]).is_err());
        assert!(Links::new(Some("ftp://shop.example"), vec![]).is_err());
    }

    #[test]
    fn utm_flags() {
        assert_eq!(
            parse_utm("campaign=post_purchase"),
            Ok(("utm_campaign".into(), "post_purchase".into()))
        );
        assert_eq!(
            parse_utm("utm_term=a b"),
            Ok(("utm_term".into(), "a b".into()))
        );
        assert!(parse_utm("campaign").is_err());
        assert!(parse_utm("a&b=c").is_err());
    }
}
