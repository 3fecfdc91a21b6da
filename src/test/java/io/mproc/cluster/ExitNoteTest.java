package io.mproc.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Python's exit codes from a worker's exit value and its last note. */
class ExitNoteTest {

    @Test
    void aNotedCodeIsTakenAsItIsEvenWhenItLooksLikeASignal() {
        assertThat(ExitNote.pythonCode(ExitNote.parse(ExitNote.line(ExitNote.Kind.CODE, 130)), 130)).isEqualTo(130);
        assertThat(ExitNote.pythonCode(ExitNote.parse(ExitNote.line(ExitNote.Kind.CODE, 3)), 3)).isEqualTo(3);
    }

    @Test
    void aNotedSignalAndAnUnnotedKillReadAsMinusTheSignal() {
        assertThat(ExitNote.pythonCode(ExitNote.parse(ExitNote.line(ExitNote.Kind.SIGNAL, 15)), 143)).isEqualTo(-15);
        assertThat(ExitNote.pythonCode(null, 137)).isEqualTo(-9);
        assertThat(ExitNote.pythonCode(null, 1)).isEqualTo(1);
    }

    @Test
    void aNoteIsFoundAfterOutputWithoutANewlineAndOtherTextIsNoNote() {
        String line = "partial output" + ExitNote.line(ExitNote.Kind.START_FAILED, 3);
        int at = ExitNote.find(line);
        assertThat(line.substring(0, at)).isEqualTo("partial output");
        assertThat(ExitNote.parse(line.substring(at))).isEqualTo(new ExitNote.Note(ExitNote.Kind.START_FAILED, 3));
        assertThat(ExitNote.find("mproc-exit CODE 1")).isEqualTo(-1);
        assertThat(ExitNote.parse(ExitNote.MARK + "BOGUS 1")).isNull();
        assertThat(ExitNote.parse(ExitNote.MARK + "CODE x")).isNull();
    }
}
