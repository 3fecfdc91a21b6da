package io.mproc.shared;

import io.mproc.Task;

import java.io.Serializable;

/** A call on a value or an array, done where its data is: in the map, or on a holder's copy. */
interface Mutation extends Serializable {

    Object apply(Box box) throws Exception;

    /** Whether {@link #apply} may change the data (a holder's copy is then written back). */
    boolean writes();

    /** {@link #apply}, turning a throw into a {@link Failure} that can cross back to the caller. */
    default Object applyOrFailure(Box box) {
        try {
            Object result = apply(box);
            return result == null ? Status.OK : result;
        } catch (Exception | LinkageError e) {
            return new Failure(e);
        }
    }

    /** What {@link #apply} threw; the data is left as it was. */
    record Failure(Throwable thrown) implements Serializable {
    }

    record Get() implements Mutation {
        @Override
        public Object apply(Box box) {
            return box.value();
        }

        @Override
        public boolean writes() {
            return false;
        }
    }

    record Set(Object newValue) implements Mutation {
        @Override
        public Object apply(Box box) {
            box.value(newValue);
            return null;
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    record Update(Task<Object, Object> function, boolean returnNew) implements Mutation {
        @Override
        public Object apply(Box box) throws Exception {
            Object next = function.apply(box.value());
            box.value(next);
            return returnNew ? next : null;
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    record ArrayGet(int index) implements Mutation {
        @Override
        public Object apply(Box box) {
            Object array = box.value();
            return array instanceof long[] longs ? (Object) longs[index] : (Object) ((double[]) array)[index];
        }

        @Override
        public boolean writes() {
            return false;
        }
    }

    record ArraySet(int index, long asLong, double asDouble) implements Mutation {
        @Override
        public Object apply(Box box) {
            Object array = box.value();
            if (array instanceof long[] longs) {
                longs[index] = asLong;
            } else {
                ((double[]) array)[index] = asDouble;
            }
            box.value(array);
            return null;
        }

        @Override
        public boolean writes() {
            return true;
        }
    }

    record ArrayCopy() implements Mutation {
        @Override
        public Object apply(Box box) {
            Object array = box.value();
            return array instanceof long[] longs ? longs.clone() : ((double[]) array).clone();
        }

        @Override
        public boolean writes() {
            return false;
        }
    }
}
