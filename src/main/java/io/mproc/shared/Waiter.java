package io.mproc.shared;

import java.io.Serializable;

/**
 * One blocked call, as the host of a state knows it: who waits ({@code owner}: member UUID
 * and thread), where to wake it (its JVM's wake address) and which call it is ({@code seq}).
 */
record Waiter(String owner, String address, long seq) implements Serializable {

    /** The member UUID part of an owner id {@code "member/thread"}. */
    static String memberOf(String owner) {
        int slash = owner.indexOf('/');
        return slash < 0 ? owner : owner.substring(0, slash);
    }

    String member() {
        return memberOf(owner);
    }
}
