//! Downloads: `HttpClient::send_streaming` reads a body chunk by chunk,
//! never past the caller's limit.
#![allow(clippy::unwrap_used)]

mod http_common;

use futures::TryStreamExt;
use psa_core::http::ApiRequest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use http_common::{builder, received};

#[tokio::test]
async fn a_download_streams_the_whole_body() {
    let server = MockServer::start().await;
    let body: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(body.clone())
                .insert_header("content-type", "application/pdf"),
        )
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let resp = client
        .send_streaming(ApiRequest::get("Attachment/1"), 2_000_000)
        .await
        .unwrap();
    assert_eq!(resp.headers["content-type"], "application/pdf");
    let chunks: Vec<bytes::Bytes> = resp.body.try_collect().await.unwrap();
    let got: Vec<u8> = chunks.concat();
    assert_eq!(got, body);
}

#[tokio::test]
async fn an_announced_length_over_the_limit_is_refused_before_reading() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0u8; 4096]))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let err = client
        .send_streaming(ApiRequest::get("Attachment/1"), 1000)
        .await
        .unwrap_err();
    assert!(
        err.is_decode() && err.to_string().contains("limit is 1000"),
        "{err}"
    );
}

/// A server that answers once with a chunked body of `chunks` × 1 KiB and
/// no length.
async fn chunked_server(chunks: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = sock.read(&mut buf).await;
        let _ = sock
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n")
            .await;
        let chunk = vec![b'x'; 1024];
        for _ in 0..chunks {
            let _ = sock.write_all(b"400\r\n").await;
            let _ = sock.write_all(&chunk).await;
            let _ = sock.write_all(b"\r\n").await;
        }
        let _ = sock.write_all(b"0\r\n\r\n").await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn an_unannounced_body_is_cut_at_the_limit() {
    let base = chunked_server(64).await;
    let client = psa_core::http::HttpClient::builder(psa_core::Vendor::Halo, format!("{base}/api"))
        .build()
        .unwrap();
    let resp = client
        .send_streaming(ApiRequest::get("Attachment/1"), 10 * 1024)
        .await
        .unwrap();
    let mut read = 0usize;
    let mut body = resp.body;
    let err = loop {
        match body.try_next().await {
            Ok(Some(chunk)) => read += chunk.len(),
            Ok(None) => panic!("the stream ended without an error after {read} bytes"),
            Err(e) => break e,
        }
    };
    assert!(read <= 10 * 1024, "{read}");
    assert!(
        err.is_decode() && err.to_string().contains("larger than the limit"),
        "{err}"
    );
    assert!(
        body.try_next().await.unwrap().is_none(),
        "the stream ends after its error"
    );
}

#[tokio::test]
async fn errors_and_retries_are_as_for_send() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("hello"))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let resp = client
        .send_streaming(ApiRequest::get("Attachment/1"), 100)
        .await
        .unwrap();
    let got: Vec<bytes::Bytes> = resp.body.try_collect().await.unwrap();
    assert_eq!(got.concat(), b"hello");
    assert_eq!(received(&server).await, 2);

    let missing = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string(r#"{"message":"no such file"}"#))
        .mount(&missing)
        .await;
    let client = builder(&missing).build().unwrap();
    let err = client
        .send_streaming(ApiRequest::get("Attachment/9"), 100)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(err.to_string().contains("no such file"), "{err}");
}
