/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds types of internal packages ({@code .internal.} or ending {@code .internal}) in the public
 * signatures of a module's API: superclasses, interfaces, public and protected fields, methods and
 * constructors, including generic type arguments. Every module's {@code ApiSurfaceTest} runs it over
 * its own classes; a leak fails the build.
 */
public final class ApiSurface {
    private ApiSurface() {}

    /** The compiled classes folder that holds {@code anchor}. */
    public static Path classesOf(Class<?> anchor) {
        try {
            return Path.of(
                    anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every leak in the public classes under {@code root} whose name starts with {@code packagePrefix}. */
    public static List<String> leaks(Path root, String packagePrefix) {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : classes(root, packagePrefix)) {
            if (isInternal(c.getPackageName()) || !isExported(c)) {
                continue;
            }
            check(leaks, c, "extends", c.getGenericSuperclass());
            for (Type t : c.getGenericInterfaces()) {
                check(leaks, c, "implements", t);
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    check(leaks, c, "field " + f.getName(), f.getGenericType());
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers())) {
                    for (Type p : k.getGenericParameterTypes()) {
                        check(leaks, c, "constructor parameter", p);
                    }
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    check(leaks, c, "method " + m.getName() + " returns", m.getGenericReturnType());
                    for (Type p : m.getGenericParameterTypes()) {
                        check(leaks, c, "method " + m.getName() + " parameter", p);
                    }
                    for (Type x : m.getGenericExceptionTypes()) {
                        check(leaks, c, "method " + m.getName() + " throws", x);
                    }
                }
            }
        }
        return leaks;
    }

    private static boolean isExported(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean isInternal(String packageName) {
        return packageName.endsWith(".internal") || packageName.contains(".internal.");
    }

    private static void check(List<String> leaks, Class<?> owner, String where, Type type) {
        if (type == null) {
            return;
        }
        for (Class<?> used : mentioned(type, new ArrayList<>())) {
            if (isInternal(used.getPackageName())) {
                leaks.add(owner.getName() + " " + where + " " + used.getName());
            }
        }
    }

    private static List<Class<?>> mentioned(Type type, List<Class<?>> out) {
        switch (type) {
            case Class<?> c -> out.add(c.isArray() ? c.getComponentType() : c);
            case ParameterizedType p -> {
                mentioned(p.getRawType(), out);
                for (Type a : p.getActualTypeArguments()) {
                    mentioned(a, out);
                }
            }
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) {
                    mentioned(b, out);
                }
                for (Type b : w.getLowerBounds()) {
                    mentioned(b, out);
                }
            }
            case GenericArrayType g -> mentioned(g.getGenericComponentType(), out);
            case TypeVariable<?> v -> {
                for (Type b : v.getBounds()) {
                    if (b != Object.class) {
                        mentioned(b, out);
                    }
                }
            }
            default -> {}
        }
        return out;
    }

    private static List<Class<?>> classes(Path root, String packagePrefix) {
        try (Stream<Path> files = Files.walk(root)) {
            List<Class<?>> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replace(".class", "");
                if (name.startsWith(packagePrefix) && !name.endsWith("package-info")) {
                    out.add(Class.forName(name, false, ApiSurface.class.getClassLoader()));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
