package com.example;

import io.mproc.Task;

/** Version 1 of a user's class, compiled by the test: the square. Its helpers are classes of their own, loaded as it runs. */
public class Shape implements Task<Integer, String> {
    @Override
    public String apply(Integer n) {
        return new Label().text(n) + " = " + new Measure().of(n);
    }

    static final class Label {
        String text(int n) {
            return "v1 square of " + n;
        }
    }

    static final class Measure {
        long of(long n) {
            return new Step().next(n * n) - new Step().next(0);
        }
    }

    static final class Step {
        long next(long x) {
            return new Twice().of(x) / 2;
        }
    }

    static final class Twice {
        long of(long x) {
            return x + x;
        }
    }
}
