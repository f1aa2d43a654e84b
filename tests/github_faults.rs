//! The GitHub client against raw servers on loopback that misbehave in ways wiremock cannot:
//! answers held open to count how many requests are in flight at once, and a log or a run's
//! log archive dropped halfway through.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use gha_triage::github::auth::Token;
use gha_triage::github::client::GitHub;
use gha_triage::github::clock::ManualClock;
use gha_triage::github::model::{JobId, RunId};
use gha_triage::github::retry::RetryPolicy;
use gha_triage::github::slots::MAX_IN_FLIGHT;
use jiff::Timestamp;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What a raw server saw: requests, and the most it held at once.
#[derive(Default)]
struct Seen {
    requests: AtomicUsize,
    open: AtomicUsize,
    most_open: AtomicUsize,
}

/// A server answering one request per connection: the `n`th request gets `answers[n]` (the
/// last one again once they run out) after holding it for `hold`, then the connection closes.
async fn raw_server(answers: Vec<Vec<u8>>, hold: Duration) -> (String, Arc<Seen>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Seen::default());
    let counts = seen.clone();
    let answers = Arc::new(answers);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let (seen, answers) = (counts.clone(), answers.clone());
            tokio::spawn(async move {
                read_head(&mut socket).await;
                let number = seen.requests.fetch_add(1, Ordering::SeqCst);
                let open = seen.open.fetch_add(1, Ordering::SeqCst) + 1;
                seen.most_open.fetch_max(open, Ordering::SeqCst);
                tokio::time::sleep(hold).await;
                seen.open.fetch_sub(1, Ordering::SeqCst);
                let answer = &answers[number.min(answers.len() - 1)];
                let _ = socket.write_all(answer).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, seen)
}

async fn read_head(socket: &mut tokio::net::TcpStream) {
    let mut head = Vec::new();
    let mut buffer = [0_u8; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => head.extend_from_slice(&buffer[..read]),
        }
    }
}

/// An HTTP/1.1 answer whose Content-Length says `length` and whose body is `body`.
fn answer(length: usize, body: &[u8]) -> Vec<u8> {
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {length}\r\n\
         connection: close\r\n\r\n"
    );
    [head.as_bytes(), body].concat()
}

fn client_at(url: &str) -> (GitHub, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::starting_at(Timestamp::from_second(1_765_800_000).unwrap()));
    let policy = RetryPolicy { timeout: Duration::from_secs(5), ..RetryPolicy::default() };
    let github = GitHub::new(url, Some(&Token::new("ghp_FAKE_faults")), policy, clock.clone());
    (github.unwrap(), clock)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn however_many_triages_ask_at_once_only_a_few_requests_are_in_flight() {
    let (url, seen) = raw_server(vec![answer(2, b"{}")], Duration::from_millis(150)).await;
    let github = Arc::new(client_at(&url).0);

    let asked: Vec<_> = (0..12)
        .map(|n| {
            let github = github.clone();
            tokio::spawn(async move {
                github.get_json::<serde_json::Value>(&format!("/ping/{n}"), "a ping").await
            })
        })
        .collect();
    for one in asked {
        one.await.unwrap().unwrap();
    }

    assert_eq!(seen.requests.load(Ordering::SeqCst), 12);
    let most = seen.most_open.load(Ordering::SeqCst);
    println!("at most {most} of 12 requests were in flight at once (cap {MAX_IN_FLIGHT})");
    assert!(most <= MAX_IN_FLIGHT, "{most} requests were in flight at once");
    assert!(most >= 2, "requests were not sent side by side at all");
}

#[tokio::test]
async fn a_log_download_dropped_halfway_is_asked_for_again_through_the_api() {
    let whole = vec![b'x'; 1000];
    let dropped = answer(1000, &whole[..10]);
    let (storage, _) = raw_server(vec![dropped, answer(1000, &whole)], Duration::ZERO).await;
    let api = MockServer::start().await;
    let route = "/repos/octo-org/widgets/actions/jobs/42/logs";
    let signed = format!("{storage}/blobs/job-42?sig=S");
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(302).insert_header("location", signed.as_str()))
        .mount(&api)
        .await;
    let (github, clock) = client_at(&api.uri());

    let repo = "octo-org/widgets".parse().unwrap();
    let log = github.job_log(&repo, JobId(42), 1 << 20).await.unwrap();

    assert_eq!(log.as_slice(), &whole[..], "the whole log, not its first bytes");
    let asked = api.received_requests().await.unwrap();
    assert_eq!(asked.iter().filter(|request| request.url.path() == route).count(), 2);
    assert_eq!(clock.sleeps().len(), 1, "one backoff before asking again");
}

#[tokio::test]
async fn a_run_log_archive_dropped_halfway_is_asked_for_again_through_the_api() {
    let whole = vec![b'z'; 2000];
    let dropped = answer(2000, &whole[..100]);
    let (storage, _) = raw_server(vec![dropped, answer(2000, &whole)], Duration::ZERO).await;
    let api = MockServer::start().await;
    let route = "/repos/octo-org/widgets/actions/runs/5/attempts/1/logs";
    let signed = format!("{storage}/archives/run-5?sig=S");
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(302).insert_header("location", signed.as_str()))
        .mount(&api)
        .await;
    let (github, _) = client_at(&api.uri());

    let repo = "octo-org/widgets".parse().unwrap();
    let archive = github.run_log_archive(&repo, RunId(5), 1, 1 << 20).await.unwrap();

    assert_eq!(std::fs::read(&archive).unwrap(), whole, "the whole archive");
    let asked = api.received_requests().await.unwrap();
    assert_eq!(asked.iter().filter(|request| request.url.path() == route).count(), 2);
}
