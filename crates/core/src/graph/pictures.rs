//! A test's output read for pictures: each annotation line (see
//! [`super::protocol`]) goes to the [`Reader`] that takes its word, and what
//! the readers read goes into [`Pictures`]. A new kind of picture is a new
//! file with a `Reader`, one line in [`readers`], and its field here.

use super::autograd::AutogradReader;
use super::loss::LossReader;
use super::model::Graph;
use super::onnx::OnnxReader;
use super::protocol::annotation;
use super::reader::Reader;
use super::timeline::{Timeline, TimelineReader};

/// Every reader, and where what it reads goes, in the order they finish.
fn readers() -> Vec<Box<dyn Feed>> {
    vec![
        slot::<LossReader>(|p, losses| p.losses = losses),
        slot::<AutogradReader>(|p, graph| p.graph = graph),
        // A test that printed both kinds of graph: the autograd one wins.
        slot::<OnnxReader>(|p, graph| p.graph = p.graph.take().or(graph)),
        slot::<TimelineReader>(|p, timeline| p.timeline = timeline),
    ]
}

/// What one test's annotations describe.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pictures {
    /// The graph it described (autograd or ONNX).
    pub graph: Option<Graph>,
    /// The timeline it described.
    pub timeline: Option<Timeline>,
    /// The training losses it printed: (step, loss).
    pub losses: Vec<(u64, f64)>,
}

/// A test's output read: the pictures, and the output without their lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Read {
    /// What the annotations describe.
    pub pictures: Pictures,
    /// The output a learner reads: every other line, trailing space trimmed.
    pub output: String,
}

/// Reads `output`, as the test printed it.
pub fn read(output: &str) -> Read {
    let mut readers = readers();
    let mut kept = Vec::new();
    for line in output.lines() {
        let reader = annotation(line).and_then(|a| {
            let at = readers.iter().position(|r| r.words().contains(&a.word))?;
            Some((at, a))
        });
        match reader {
            Some((at, a)) if !a.rest.is_empty() => readers[at].line(a.word, a.rest),
            Some(_) => {}
            None => kept.push(line),
        }
    }
    let mut pictures = Pictures::default();
    for reader in readers {
        reader.finish(&mut pictures);
    }
    Read {
        pictures,
        output: kept.join("\n").trim_end().to_owned(),
    }
}

/// A reader, whatever it reads, with the place its output goes.
trait Feed {
    fn words(&self) -> &'static [&'static str];
    fn line(&mut self, word: &str, rest: &str);
    fn finish(self: Box<Self>, pictures: &mut Pictures);
}

struct Slot<R: Reader> {
    reader: R,
    put: fn(&mut Pictures, R::Output),
}

impl<R: Reader> Feed for Slot<R> {
    fn words(&self) -> &'static [&'static str] {
        R::WORDS
    }

    fn line(&mut self, word: &str, rest: &str) {
        self.reader.line(word, rest);
    }

    fn finish(self: Box<Self>, pictures: &mut Pictures) {
        (self.put)(pictures, self.reader.finish());
    }
}

fn slot<R: Reader + 'static>(put: fn(&mut Pictures, R::Output)) -> Box<dyn Feed> {
    Box::new(Slot {
        reader: R::default(),
        put,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_read_and_left_out_of_the_output() {
        let read = read(
            "first\n\
             tensorlings:loss 0 1.5\n\
             \x20 tensorlings:loss 1 0.5\n\
             tensorlings:graph node a leaf 1 -\n\
             tensorlings:span p0 0 10\n\
             tensorlings:mark 5 late\n\
             tensorlings:onnx input x 1x2\n\
             tensorlings:other kept\n\
             tensorlings:graph \n\
             last  \n\n",
        );
        assert_eq!(read.output, "first\ntensorlings:other kept\nlast");
        assert_eq!(read.pictures.losses, vec![(0, 1.5), (1, 0.5)]);
        assert!(matches!(read.pictures.graph, Some(Graph::Autograd { .. })));
        let timeline = read.pictures.timeline.expect("a timeline");
        assert_eq!((timeline.spans.len(), timeline.marks.len()), (1, 1));
    }

    #[test]
    fn an_onnx_graph_alone_is_read() {
        let read = read("tensorlings:onnx input x 1x2\n");
        assert!(matches!(read.pictures.graph, Some(Graph::Onnx { .. })));
        assert_eq!(read.output, "");
    }

    #[test]
    fn output_without_annotations_has_no_pictures() {
        let read = read("just output\n");
        assert_eq!(read.pictures, Pictures::default());
        assert_eq!(read.output, "just output");
    }

    #[test]
    fn every_word_has_one_reader() {
        let mut words: Vec<&str> = readers().iter().flat_map(|r| r.words()).copied().collect();
        let count = words.len();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), count, "a word two readers take: {words:?}");
    }
}
