//! Paging: lazy streams that stop on the last page, on a repeated token and
//! after an error; a Link-header walk through the HTTP client.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::{StreamExt, TryStreamExt};
use psa_core::http::{ApiRequest, HttpClient};
use psa_core::paging::{self, DEFAULT_MAX_PAGES, ListOptions, Page, PageToken, parse_link_next};
use psa_core::{Error, ErrorKind, Vendor};
use url::Url;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A listing of `pages` numbered pages of 3 items; counts fetches.
fn numbered(
    pages: u64,
    calls: Arc<AtomicUsize>,
) -> impl FnMut(Option<PageToken>) -> futures::future::Ready<psa_core::Result<Page<u64>>> {
    move |token| {
        calls.fetch_add(1, Ordering::SeqCst);
        let n = match token {
            None => 1,
            Some(PageToken::Number(n)) => n,
            Some(other) => panic!("unexpected token {other:?}"),
        };
        let items = (0..3).map(|i| n * 100 + i).collect();
        let next = (n < pages).then_some(PageToken::Number(n + 1));
        futures::future::ready(Ok(Page::new(items, next).with_total(Some(pages * 3))))
    }
}

#[tokio::test]
async fn stops_when_next_is_none() {
    let calls = Arc::new(AtomicUsize::new(0));
    let all: Vec<u64> = paging::items(numbered(3, calls.clone()))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, [100, 101, 102, 200, 201, 202, 300, 301, 302]);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let pages: Vec<_> = paging::pages(numbered(2, Arc::new(AtomicUsize::new(0))))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].total, Some(6));
    assert!(pages[1].next.is_none());
}

#[tokio::test]
async fn fetches_lazily() {
    let calls = Arc::new(AtomicUsize::new(0));
    let mut items = paging::items(numbered(1000, calls.clone()));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        0,
        "nothing before the first poll"
    );
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first, 100);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // The rest of page 1 comes from memory.
    let _ = items.next().await;
    let _ = items.next().await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // The first item of page 2 needs a fetch.
    assert_eq!(items.next().await.unwrap().unwrap(), 200);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let taken: Vec<_> = paging::items(numbered(1000, calls.clone()))
        .take(1)
        .collect()
        .await;
    assert_eq!(taken.len(), 1);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn stops_when_a_token_repeats() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    // A buggy vendor: page 3 points back to page 2.
    let pages: Vec<Page<u64>> = paging::pages(move |token| {
        c.fetch_add(1, Ordering::SeqCst);
        let n = match token {
            None => 1,
            Some(PageToken::Cursor(s)) => s.parse().unwrap(),
            Some(_) => unreachable!(),
        };
        let next = if n == 3 { 2 } else { n + 1 };
        async move {
            Ok(Page::new(
                vec![n],
                Some(PageToken::Cursor(next.to_string())),
            ))
        }
    })
    .try_collect()
    .await
    .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.items[0]).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    // A vendor that always returns the same token: the page it points to is
    // fetched once, then the repeat stops the listing instead of looping.
    let same = paging::pages(|_| async { Ok(Page::new(vec![1], Some(PageToken::Offset(0)))) });
    assert_eq!(same.count().await, 2);
    // Resuming from a token counts it as seen.
    let resumed: Vec<_> = paging::pages_from(Some(PageToken::Offset(5)), |t| async move {
        assert_eq!(t, Some(PageToken::Offset(5)));
        Ok(Page::new(vec![1], Some(PageToken::Offset(5))))
    })
    .collect()
    .await;
    assert_eq!(resumed.len(), 1);
}

#[tokio::test]
async fn an_error_is_yielded_then_ends_the_stream() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let results: Vec<psa_core::Result<u64>> = paging::items(move |token| {
        c.fetch_add(1, Ordering::SeqCst);
        async move {
            match token {
                None => Ok(Page::new(vec![1, 2], Some(PageToken::Number(2)))),
                Some(_) => Err(Error::new(ErrorKind::Api, "page 2 failed")),
            }
        }
    })
    .collect()
    .await;
    assert_eq!(results.len(), 3);
    assert_eq!(*results[0].as_ref().unwrap(), 1);
    assert_eq!(*results[1].as_ref().unwrap(), 2);
    assert_eq!(results[2].as_ref().unwrap_err().message(), "page 2 failed");
    assert_eq!(calls.load(Ordering::SeqCst), 2, "no fetch after the error");
}

#[tokio::test]
async fn capped_server_pages_on_what_it_returned() {
    // The server returns at most 2 items a page whatever is asked; 5 records.
    let records: Vec<u32> = (1..=5).collect();
    let fetched: Vec<u32> = paging::items(move |token| {
        let page_no = match token {
            None => 1,
            Some(PageToken::Number(n)) => n,
            Some(_) => unreachable!(),
        };
        let start = usize::try_from((page_no - 1) * 2).unwrap();
        let items: Vec<u32> = records.iter().skip(start).take(2).copied().collect();
        let seen = u64::try_from(start + items.len()).unwrap();
        let next = paging::next_page_number(page_no, items.len(), seen, Some(5));
        async move { Ok(Page::new(items, next).with_total(Some(5))) }
    })
    .try_collect()
    .await
    .unwrap();
    assert_eq!(fetched, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn link_header_walk_through_the_client() {
    let server = MockServer::start().await;
    let base = format!("{}/apis/3.0", server.uri());
    for page in 1..=3u32 {
        let mut template = ResponseTemplate::new(200).set_body_json(vec![page]);
        if page < 3 {
            template = template.insert_header(
                "link",
                format!(
                    r#"<{base}/service/tickets?page={}&pageSize=1>; rel="next", <{base}/service/tickets?page=3>; rel="last""#,
                    page + 1
                )
                .as_str(),
            );
        }
        Mock::given(path("/apis/3.0/service/tickets"))
            .and(query_param("page", page.to_string()))
            .respond_with(template)
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = HttpClient::builder(Vendor::ConnectWise, &base)
        .build()
        .unwrap();
    let pages = paging::items(move |token| {
        let client = client.clone();
        async move {
            let request = match token {
                None => ApiRequest::get("service/tickets").query("page", 1),
                Some(PageToken::Url(url)) => ApiRequest::absolute(http::Method::GET, url),
                Some(_) => unreachable!(),
            };
            let response = client.send(request).await?;
            let items: Vec<u32> = response.json()?;
            let next = parse_link_next(&response.headers)
                .and_then(|u| Url::parse(&u).ok())
                .map(PageToken::Url);
            Ok(Page::new(items, next))
        }
    });
    let all: Vec<u32> = pages.try_collect().await.unwrap();
    assert_eq!(all, [1, 2, 3]);
}

/// A server that always announces another page, with a new token each time.
fn endless(
    calls: Arc<AtomicUsize>,
) -> impl FnMut(Option<PageToken>) -> futures::future::Ready<psa_core::Result<Page<u64>>> {
    move |token| {
        calls.fetch_add(1, Ordering::SeqCst);
        let n = match token {
            None => 1,
            Some(PageToken::Number(n)) => n,
            Some(other) => panic!("unexpected token {other:?}"),
        };
        futures::future::ready(Ok(Page::new(vec![n], Some(PageToken::Number(n + 1)))))
    }
}

/// Issue 11: a listing whose server never ends it ran for ever. It now
/// ends with an error after the page cap — the default, or the listing's.
#[tokio::test]
async fn a_listing_that_never_ends_stops_at_the_page_cap_with_an_error() {
    let calls = Arc::new(AtomicUsize::new(0));
    let results: Vec<psa_core::Result<u64>> = paging::items(endless(calls.clone())).collect().await;
    let cap = usize::try_from(DEFAULT_MAX_PAGES).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), cap, "exactly the cap fetched");
    assert_eq!(results.len(), cap + 1);
    assert!(results[..cap].iter().all(Result::is_ok));
    let err = results[cap].as_ref().unwrap_err();
    assert!(
        err.to_string()
            .contains("still had a next page after 10000 pages"),
        "{err}"
    );

    let calls = Arc::new(AtomicUsize::new(0));
    let options = ListOptions::new()
        .max_pages(5)
        .name("tickets")
        .vendor(Vendor::Halo);
    let pages: Vec<_> = paging::pages_with(options, None, endless(calls.clone()))
        .collect()
        .await;
    assert_eq!(calls.load(Ordering::SeqCst), 5);
    assert_eq!(pages.len(), 6);
    let err = pages[5].as_ref().unwrap_err();
    assert_eq!(err.vendor(), Some(Vendor::Halo));
    assert!(err.to_string().contains("the tickets listing"), "{err}");
    // A listing of exactly the cap ends normally.
    let calls = Arc::new(AtomicUsize::new(0));
    let exact: Vec<u64> = paging::items_with(ListOptions::new().max_pages(3), numbered(3, calls))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(exact.len(), 9);
}

/// Issue 11: a server that cycles through new tokens over the same records
/// is caught by the pages' fingerprints, and the error names the repeat.
#[tokio::test]
async fn a_listing_that_cycles_ends_with_an_error_naming_the_repeat() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    // Pages 1, 2, 3 hold a, b, c; page 4 holds a again, under a new token.
    let results: Vec<psa_core::Result<String>> = paging::items(move |token| {
        c.fetch_add(1, Ordering::SeqCst);
        let n = match token {
            None => 1u64,
            Some(PageToken::Offset(n)) => n,
            Some(_) => unreachable!(),
        };
        let text = ["{\"id\":\"a\"}", "{\"id\":\"b\"}", "{\"id\":\"c\"}"];
        let items = vec![text[usize::try_from((n - 1) % 3).unwrap()].to_owned()];
        let page = Page::new(items, Some(PageToken::Offset(n + 1)))
            .with_fingerprint_by(|raw: &String| raw.clone());
        async move { Ok(page) }
    })
    .collect()
    .await;
    assert_eq!(
        calls.load(Ordering::SeqCst),
        4,
        "stopped at the first repeat"
    );
    assert_eq!(results.len(), 4);
    let err = results[3].as_ref().unwrap_err();
    assert!(
        err.to_string()
            .contains("page 4 repeats the records of page 1"),
        "{err}"
    );

    // Empty pages are no repeat (ServiceNow pages can be emptied by ACLs
    // and still be followed by records).
    let sparse: Vec<u32> = paging::items(|token| async move {
        let n = match token {
            None => 0,
            Some(PageToken::Number(n)) => n,
            Some(_) => unreachable!(),
        };
        let items: Vec<u32> = match n {
            0 => vec![1],
            1 | 2 => vec![],
            _ => vec![2],
        };
        let next = (n < 3).then_some(PageToken::Number(n + 1));
        Ok(Page::new(items, next).fingerprinted())
    })
    .try_collect()
    .await
    .unwrap();
    assert_eq!(sparse, [1, 2]);
}
